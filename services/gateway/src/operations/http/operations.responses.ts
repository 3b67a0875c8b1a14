import { ApiProperty } from '@nestjs/swagger';
import { DeadLetterResponse, ParkedOutboxEventResponse } from '@itsm/platform';

const UNREACHABLE_DESCRIPTION =
  'The services that did not answer (down, too slow, or failing): what they hold is missing from this answer.';

export class ServiceOutboxSummary {
  @ApiProperty({ example: 'incident' })
  service!: string;

  @ApiProperty({ type: 'integer', description: 'Events written and not yet published.' })
  pending!: number;

  @ApiProperty({ type: 'integer', description: 'Events Kafka refused for good.' })
  parkedCount!: number;
}

const REF_DESCRIPTION =
  'Its id across every service (`<service>-<id>`): what `…/{id}` takes to reach it without asking every service, and without the ambiguity of an id two services share.';

export class ServiceParkedOutboxEvent extends ParkedOutboxEventResponse {
  @ApiProperty({ example: 'incident', description: 'The service whose outbox holds it.' })
  service!: string;

  @ApiProperty({ example: 'incident-42', description: REF_DESCRIPTION })
  ref!: string;
}

export class AllOutboxesResponse {
  @ApiProperty({ type: 'integer', description: 'Every answering service’s pending events.' })
  pending!: number;

  @ApiProperty({ type: 'integer', description: 'Every answering service’s parked events.' })
  parkedCount!: number;

  @ApiProperty({ type: [ServiceOutboxSummary], description: 'Each answering service’s counts.' })
  services!: ServiceOutboxSummary[];

  @ApiProperty({
    type: [ServiceParkedOutboxEvent],
    description: 'The parked events of every service, oldest parked first (at most `limit`).',
  })
  parked!: ServiceParkedOutboxEvent[];

  @ApiProperty({ type: [String], example: [], description: UNREACHABLE_DESCRIPTION })
  unreachable!: string[];
}

export class ServiceDeadLetter extends DeadLetterResponse {
  @ApiProperty({ example: 'incident', description: 'The service whose consumer holds it.' })
  service!: string;

  @ApiProperty({ example: 'incident-7', description: REF_DESCRIPTION })
  ref!: string;
}

export class AllDeadLettersResponse {
  @ApiProperty({
    type: [ServiceDeadLetter],
    description: 'Every service’s dead letters, oldest first.',
  })
  items!: ServiceDeadLetter[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `after` for the next page (opaque); null on the last.',
  })
  next!: string | null;

  @ApiProperty({ type: [String], example: [], description: UNREACHABLE_DESCRIPTION })
  unreachable!: string[];
}
