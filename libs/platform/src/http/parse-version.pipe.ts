import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ValidationProblem } from '../errors/problem';

/** The largest record version: versions are PostgreSQL `integer` columns. */
export const MAX_VERSION = 2_147_483_647;

/** How a version path parameter is documented, so a client (or a fuzzer) knows the range. */
export const VERSION_PARAMETER_SCHEMA = { type: 'integer', minimum: 1, maximum: MAX_VERSION };

/**
 * A path parameter naming a record's version (1, 2, ...): anything else, a number beyond
 * an `integer` column included, is a 400 naming the parameter, never a failed query. The
 * global ValidationPipe runs first and has already made a number of a parameter declared
 * `number`; such a number is taken when it is a whole one in range.
 */
@Injectable()
export class ParseVersionPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, metadata: ArgumentMetadata): number {
    const version =
      typeof value === 'number' && Number.isInteger(value)
        ? value
        : typeof value === 'string' && /^\d{1,10}$/.test(value)
          ? Number(value)
          : NaN;
    if (version >= 1 && version <= MAX_VERSION) return version;
    throw new ValidationProblem([
      {
        field: metadata.data ?? 'version',
        message: `must be an integer from 1 to ${MAX_VERSION}`,
      },
    ]);
  }
}
