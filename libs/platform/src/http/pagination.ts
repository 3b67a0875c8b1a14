import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  isISO8601,
  isUUID,
} from 'class-validator';
import { ValidationProblem } from '../errors/problem';

/** `limit` and `cursor`, as every list endpoint takes them. */
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 2000,
    description: "The previous page's `nextCursor`, as it came.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** An opaque cursor: the sort key of the last item a page returned. */
export function encodeCursor(position: Record<string, string>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * What one part of a cursor must hold before it reaches a query: a UUID, an ISO 8601
 * instant, any text, or a (bigint) decimal integer written as a string.
 */
export type CursorPart = 'uuid' | 'instant' | 'text' | 'integer';

const CURSOR_PART_CHECKS: Record<CursorPart, (value: unknown) => boolean> = {
  uuid: (value) => typeof value === 'string' && isUUID(value),
  instant: (value) =>
    typeof value === 'string' &&
    isISO8601(value, { strict: true }) &&
    Number.isFinite(Date.parse(value)),
  text: (value) => typeof value === 'string',
  integer: (value) => typeof value === 'string' && /^-?\d{1,19}$/.test(value),
};

/**
 * Reads a cursor that `encodeCursor` wrote, each part checked against its kind: a cursor
 * that was edited, truncated or taken from another list is a 400 naming `cursor`, never a
 * query error.
 */
export function decodeCursor<Shape extends Record<string, CursorPart>>(
  cursor: string,
  shape: Shape,
): { [Key in keyof Shape]: string } {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const position = typeof value === 'object' && value !== null ? value : {};
  const valid = Object.entries(shape).every(([key, part]) =>
    CURSOR_PART_CHECKS[part]((position as Record<string, unknown>)[key]),
  );
  if (!valid)
    throw new ValidationProblem([
      { field: 'cursor', message: 'is not a cursor this list returned' },
    ]);
  return position as { [Key in keyof Shape]: string };
}

/** Builds a page from `limit + 1` rows fetched: the extra row only says whether another page exists. */
export function pageOf<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  positionOf: (row: Row) => Record<string, string>,
): Page<Item> {
  const visible = rows.slice(0, limit);
  const last = visible.at(-1);
  return {
    items: visible.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}

/**
 * The last row of a keyset-paged list as its cursor holds it: the value of each sort key
 * (checked by its kind, so a forged cursor is a 400), in the sort's order, then the id.
 */
export function decodeKeysetPosition<Key extends string>(
  cursor: string,
  keys: readonly Key[],
  kinds: Readonly<Record<Key, CursorPart>>,
): { values: string[]; id: string } {
  const shape: Record<string, CursorPart> = {
    ...Object.fromEntries(keys.map((key) => [key, kinds[key]])),
    id: 'uuid',
  };
  const position = decodeCursor(cursor, shape);
  return { values: keys.map((key) => position[key]), id: position.id };
}
