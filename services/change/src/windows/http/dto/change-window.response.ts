import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANGE_WINDOW_KINDS } from '@itsm/contracts';

const nullableText = { type: 'string', nullable: true } as const;
const nullableInstant = { type: 'string', format: 'date-time', nullable: true } as const;

export class OccurrenceResponse {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time' }) end!: string;
}

/** A change window as the API answers it (and as its events carry it). Documentation only. */
export class ChangeWindowResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ minLength: 1 }) name!: string;
  @ApiProperty({ enum: CHANGE_WINDOW_KINDS }) kind!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'date-time', description: 'The first occurrence’s start (UTC).' })
  start!: string;
  @ApiProperty({ format: 'date-time', description: 'The first occurrence’s end (UTC).' })
  end!: string;
  @ApiProperty({ ...nullableText, description: 'RFC 5545 RRULE, normalised.' })
  recurrence!: string | null;
  @ApiProperty({ ...nullableText, description: 'IANA time zone, by its canonical name.' })
  timeZone!: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) ciIds!: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) businessServiceIds!: string[];
  @ApiProperty({ type: [String] }) ciClasses!: string[];
  @ApiProperty() active!: boolean;
  @ApiProperty({ description: 'A freeze put in force and not lifted since.' }) inForce!: boolean;
  @ApiProperty(nullableInstant) enforcedAt!: string | null;
  @ApiProperty(nullableText) enforcedBy!: string | null;
  @ApiProperty(nullableInstant) liftedAt!: string | null;
  @ApiProperty(nullableText) liftedBy!: string | null;
  @ApiProperty(nullableInstant) retiredAt!: string | null;
  @ApiProperty(nullableText) retiredBy!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() updatedBy!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Increases with every change; the ETag.',
  })
  version!: number;
}

export class ChangeWindowListItemResponse extends ChangeWindowResponse {
  @ApiPropertyOptional({
    type: [OccurrenceResponse],
    description: 'With `from` and `to`: the occurrences overlapping the range, oldest first.',
  })
  occurrences?: OccurrenceResponse[];
}

export class ChangeWindowPageResponse {
  @ApiProperty({ type: [ChangeWindowListItemResponse] }) items!: ChangeWindowListItemResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

export class OccurrenceListResponse {
  @ApiProperty({ type: [OccurrenceResponse] }) items!: OccurrenceResponse[];
}
