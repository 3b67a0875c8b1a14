import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { DEAD_LETTER_STATUSES, type DeadLetterStatus } from '@itsm/messaging';

export class ReplayDeadLetterRequest {
  @ApiPropertyOptional({ maxLength: 1000, description: 'Why it is replayed, for the audit trail.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class DiscardDeadLetterRequest {
  @ApiProperty({
    minLength: 1,
    maxLength: 1000,
    description: 'Why the event is dropped for good, for the audit trail.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class DeadLetterResponse {
  @ApiProperty({ pattern: '^[0-9]+$' })
  id!: string;

  @ApiProperty({ example: 'itsm.change.events.v1' })
  topic!: string;

  @ApiProperty({ type: 'integer' })
  partition!: number;

  @ApiProperty({ pattern: '^[0-9]+$' })
  offset!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The Kafka key: the record.' })
  key!: string | null;

  @ApiProperty({ type: String, nullable: true })
  eventId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  eventType!: string | null;

  @ApiProperty({
    enum: DEAD_LETTER_STATUSES,
    description:
      '`open`: the consumer gave up on it; `held`: it waits behind an open one of the same record; `replayed`, `discarded`: settled by an operator.',
  })
  status!: DeadLetterStatus;

  @ApiProperty({ example: 'MalformedEventError' })
  errorType!: string;

  @ApiProperty()
  errorMessage!: string;

  @ApiProperty({
    type: 'integer',
    description: 'Handler attempts made (0: it could not be read, or was held).',
  })
  attempts!: number;

  @ApiProperty({ format: 'date-time' })
  deadLetteredAt!: string;

  @ApiProperty({ type: String, nullable: true })
  settledBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  settledAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The operator’s note or reason.' })
  settleNote!: string | null;
}

export class DeadLetterDetailResponse extends DeadLetterResponse {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The record’s headers as read (CloudEvents attributes in binary mode).',
  })
  headers!: Record<string, string>;

  @ApiProperty({ type: String, nullable: true, description: 'The record’s value, as UTF-8 text.' })
  value!: string | null;
}

export class DeadLetterListResponse {
  @ApiProperty({ example: 'incident' })
  service!: string;

  @ApiProperty({ type: [DeadLetterResponse], description: 'Oldest first.' })
  items!: DeadLetterResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `after` for the next page; null on the last.',
  })
  next!: string | null;
}

export class ReplayResponse {
  @ApiProperty({ type: [DeadLetterResponse] })
  replayed!: DeadLetterResponse[];

  @ApiProperty({ type: DeadLetterResponse, nullable: true })
  failed!: DeadLetterResponse | null;
}
