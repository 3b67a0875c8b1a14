import { Transform } from 'class-transformer';

/**
 * A query parameter arrives as text: reads `true` and `false` as booleans and leaves
 * anything else as it came, for `@IsBoolean()` to refuse naming the parameter.
 */
export const BooleanQuery = () =>
  Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  );
