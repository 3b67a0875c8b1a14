import { ApiProperty } from '@nestjs/swagger';

export class ParkedOutboxEventResponse {
  @ApiProperty({ pattern: '^[0-9]+$', description: 'The outbox row, as the retry names it.' })
  id!: string;

  @ApiProperty({ format: 'uuid', description: 'The CloudEvents id of the event.' })
  eventId!: string;

  @ApiProperty({ example: 'itsm.incident.events.v1' })
  topic!: string;

  @ApiProperty({ description: 'The Kafka key: the record whose events wait behind this one.' })
  key!: string;

  @ApiProperty({ example: 'itsm.incident.created.v1' })
  type!: string;

  @ApiProperty()
  subject!: string;

  @ApiProperty({ format: 'date-time', description: 'When the event was written.' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', description: 'When Kafka refused it for good.' })
  parkedAt!: string;

  @ApiProperty({
    example:
      'MESSAGE_TOO_LARGE: The request included a message larger than the max message size the server will accept',
  })
  error!: string;

  @ApiProperty({
    type: 'integer',
    description: 'The record’s later events waiting behind this one.',
  })
  waiting!: number;
}

export class OutboxOperationsResponse {
  @ApiProperty({ example: 'incident' })
  service!: string;

  @ApiProperty({
    type: 'integer',
    description:
      'Events written and not yet published, parked ones and those waiting behind them included.',
  })
  pending!: number;

  @ApiProperty({ type: 'integer', description: 'Events Kafka refused for good.' })
  parkedCount!: number;

  @ApiProperty({
    type: [ParkedOutboxEventResponse],
    description: 'The parked events, oldest first (at most `limit`).',
  })
  parked!: ParkedOutboxEventResponse[];
}
