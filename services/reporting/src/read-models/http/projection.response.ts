import { ApiProperty } from '@nestjs/swagger';

export class RebuildProgressResponse {
  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt!: string | null;

  @ApiProperty({ type: 'integer', description: 'Archived events replayed so far.' })
  processed!: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description:
      'Archived events of the projection up to the target sequence (known once counted).',
  })
  total!: number | null;

  @ApiProperty({ type: 'number', nullable: true, minimum: 0, maximum: 100 })
  percent!: number | null;

  @ApiProperty({
    pattern: '^[0-9]+$',
    nullable: true,
    type: String,
    description: 'The archive sequence the replay runs to; the catch-up moves it on.',
  })
  targetSequence!: string | null;

  @ApiProperty({ pattern: '^[0-9]+$', description: 'The last archive sequence replayed.' })
  processedSequence!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why the rebuild stopped; the live table was left as it was.',
  })
  error!: string | null;
}

export class ProjectionResponse {
  @ApiProperty({ example: 'service_records' })
  name!: string;

  @ApiProperty({
    type: 'integer',
    description: 'The code version the table was built with.',
  })
  version!: number;

  @ApiProperty({
    type: 'integer',
    description: 'The version of the running code; above `version`, a rebuild is due.',
  })
  codeVersion!: number;

  @ApiProperty({ type: Boolean })
  rebuildDue!: boolean;

  @ApiProperty({ example: 'service_record_facts', description: 'The table in schema `reporting`.' })
  table!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'itsm.incident.events.v1:0': '1234' },
    description: 'The Kafka offset of the last event applied live, per `topic:partition`.',
  })
  positions!: Record<string, string>;

  @ApiProperty({
    pattern: '^[0-9]+$',
    description: 'The archive sequence up to which the table was rebuilt (0: never rebuilt).',
  })
  archiveSequence!: string;

  @ApiProperty({ pattern: '^[0-9]+$' })
  eventsApplied!: string;

  @ApiProperty({
    pattern: '^[0-9]+$',
    description:
      'Events of the projection in a schema version it has no reader for; kept in the archive, applied by a rebuild once a reader is deployed.',
  })
  eventsSkipped!: string;

  @ApiProperty({ enum: ['live', 'rebuilding'] })
  status!: 'live' | 'rebuilding';

  @ApiProperty({ type: RebuildProgressResponse, nullable: true, description: 'The last rebuild.' })
  rebuild!: RebuildProgressResponse | null;
}

export class ProjectionListResponse {
  @ApiProperty({ type: [ProjectionResponse] })
  items!: ProjectionResponse[];
}
