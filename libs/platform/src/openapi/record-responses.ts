import { ApiProperty } from '@nestjs/swagger';

/**
 * How the document describes a value that may be any JSON (a history entry's old and new
 * value): without the `oneOf`, an `unknown` property is documented as an object, and a
 * string or a number breaks the answer's own schema.
 */
export const ANY_JSON_VALUE = {
  nullable: true,
  description: 'Any JSON value (null when the field was or became empty).',
  oneOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'array', items: {} },
    { type: 'object' },
  ],
};

/** A work note or comment on a record, as the API answers it. Documentation only. */
export class JournalEntryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['work_note', 'comment'] }) kind!: string;
  @ApiProperty() text!: string;
  @ApiProperty() author!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class JournalPageResponse {
  @ApiProperty({ type: [JournalEntryResponse] }) items!: JournalEntryResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

/** One field of a record changed: which, from what, to what, who, when. Documentation only. */
export class HistoryEntryResponse {
  @ApiProperty() field!: string;
  @ApiProperty(ANY_JSON_VALUE) oldValue!: unknown;
  @ApiProperty(ANY_JSON_VALUE) newValue!: unknown;
  @ApiProperty() actor!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class HistoryPageResponse {
  @ApiProperty({ type: [HistoryEntryResponse] }) items!: HistoryEntryResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}
