import { ValidationProblem } from '../errors/problem';

export interface SortOrder<Field extends string> {
  field: Field;
  direction: 'ASC' | 'DESC';
}

/**
 * Reads `sort=field` (ascending) or `sort=-field` (descending) against the fields a list
 * allows; anything else is a 400 naming `sort` and the fields that are allowed.
 */
export function parseSort<Field extends string>(
  value: string | undefined,
  allowed: readonly Field[],
  fallback: SortOrder<Field>,
): SortOrder<Field> {
  if (value === undefined || value === '') return fallback;
  const descending = value.startsWith('-');
  const field = (descending ? value.slice(1) : value) as Field;
  if (!allowed.includes(field)) {
    throw new ValidationProblem([
      {
        field: 'sort',
        message: `must be one of ${allowed.map((name) => `${name}, -${name}`).join(', ')}`,
      },
    ]);
  }
  return { field, direction: descending ? 'DESC' : 'ASC' };
}
