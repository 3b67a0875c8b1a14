import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A CloudEvents 1.0 event as the archive keeps it (see docs/events.md). Documentation only. */
export class CloudEventResponse {
  @ApiProperty({ enum: ['1.0'] })
  specversion!: '1.0';

  @ApiProperty({ format: 'uuid', description: 'Unique per event.' })
  id!: string;

  @ApiProperty({ example: '/itsm/incident', description: 'The producing service.' })
  source!: string;

  @ApiProperty({ example: 'itsm.incident.created.v1', description: 'The event type.' })
  type!: string;

  @ApiProperty({ description: 'The id of the record the event is about.' })
  subject!: string;

  @ApiProperty({ format: 'date-time', description: 'When the change was made.' })
  time!: string;

  @ApiProperty({ enum: ['application/json'] })
  datacontenttype!: 'application/json';

  @ApiProperty({ format: 'uri', description: 'The JSON Schema of `data`.' })
  dataschema!: string;

  @ApiPropertyOptional({ description: 'W3C trace context of the request that made the change.' })
  traceparent?: string;

  @ApiPropertyOptional()
  tracestate?: string;

  @ApiPropertyOptional({ description: 'The request that started a chain of events.' })
  correlationid?: string;

  @ApiPropertyOptional({ description: 'The event that caused this one.' })
  causationid?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The data, as the JSON Schema of the type describes it (see the AsyncAPI document).',
  })
  data!: Record<string, unknown>;
}

export class ArchivedEventResponse {
  @ApiProperty({
    pattern: '^[0-9]+$',
    description: 'Position in the archive: the order of `sort=sequence`.',
  })
  sequence!: string;

  @ApiProperty({ example: 'itsm.incident.events.v1' })
  topic!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  partition!: number;

  @ApiProperty({ pattern: '^[0-9]+$' })
  offset!: string;

  @ApiProperty({ format: 'date-time' })
  archivedAt!: string;

  @ApiProperty({ type: CloudEventResponse })
  event!: CloudEventResponse;
}

export class EventArchivePageResponse {
  @ApiProperty({ type: [ArchivedEventResponse] })
  items!: ArchivedEventResponse[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'Pass as `cursor` for the next page; null on the last page. Opaque: it holds the position in the order asked for.',
  })
  nextCursor!: string | null;
}
