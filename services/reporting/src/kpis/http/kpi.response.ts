import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AGE_BUCKETS, DIMENSIONS, RECORD_SETS } from '../domain/metric-definitions';
import { INTERVALS } from '../domain/periods';

/** Documentation of the KPI answers (the controllers return plain objects of these shapes). */
export class MetricDefinitionResponse {
  @ApiProperty({ example: 'mttr', description: 'The short id used in URLs.' })
  id!: string;

  @ApiProperty({ example: 'Mean time to resolve' })
  name!: string;

  @ApiProperty({ description: 'The formula, in words.' })
  formula!: string;

  @ApiProperty({ enum: ['count', 'hours', 'days', 'percent'] })
  unit!: string;

  @ApiProperty({ enum: ['count', 'duration', 'ratio', 'stock', 'ageing', 'stock_age'] })
  kind!: string;

  @ApiProperty({ enum: Object.keys(RECORD_SETS), description: 'The records it counts.' })
  counts!: string;

  @ApiProperty({ description: 'The permission that reads those records (needed to query it).' })
  permission!: string;

  @ApiPropertyOptional({ description: 'Ratios: what the numerator counts.' })
  numerator?: string;

  @ApiProperty()
  higherIsBetter!: boolean;

  @ApiProperty({ enum: Object.keys(DIMENSIONS), isArray: true })
  dimensions!: readonly string[];

  @ApiProperty({ type: [String], example: ['8.6.1'] })
  clauses!: readonly string[];
}

export class MetricRegistryResponse {
  @ApiProperty({ type: [MetricDefinitionResponse] })
  items!: MetricDefinitionResponse[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'What each breakdown means.',
  })
  dimensions!: Record<string, string>;
}

export class FigureResponse {
  @ApiProperty({
    type: 'number',
    nullable: true,
    description:
      'A count, a mean duration (in the unit) or a percentage; null when nothing was measured.',
  })
  value!: number | null;

  @ApiProperty({ description: 'Records measured (the denominator of a ratio).' })
  count!: number;

  @ApiPropertyOptional({ type: 'number', nullable: true })
  mean?: number | null;

  @ApiPropertyOptional({ type: 'number', nullable: true })
  p50?: number | null;

  @ApiPropertyOptional({ type: 'number', nullable: true })
  p90?: number | null;

  @ApiPropertyOptional()
  numerator?: number;

  @ApiPropertyOptional()
  denominator?: number;

  @ApiPropertyOptional({
    type: 'object',
    properties: Object.fromEntries(AGE_BUCKETS.map(({ id }) => [id, { type: 'integer' }])),
    description: 'Backlog ageing: records per age bucket.',
  })
  buckets?: Record<string, number>;

  @ApiPropertyOptional({
    description:
      'Durations: p50 and p90 were estimated from the daily rollups (within 5 %); absent when they are exact.',
  })
  estimated?: boolean;
}

export class KpiPointResponse extends FigureResponse {
  @ApiProperty({ format: 'date-time' })
  start!: string;

  @ApiProperty({ format: 'date-time' })
  end!: string;

  @ApiProperty({ description: 'The period is cut by the range or not over yet.' })
  partial!: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'Stocks: when the figure was read.' })
  observedAt?: string;

  @ApiProperty({ description: 'The records behind the figure.' })
  records!: string;
}

export class KpiSeriesItemResponse {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    description: 'The breakdown values of this series.',
  })
  by!: Record<string, string | null>;

  @ApiProperty({ type: FigureResponse, description: 'Over the whole range.' })
  total!: FigureResponse;

  @ApiProperty({ type: [KpiPointResponse] })
  points!: KpiPointResponse[];
}

export class KpiSeriesResponse {
  @ApiProperty({ type: MetricDefinitionResponse })
  metric!: object;

  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  to!: string;

  @ApiProperty({ enum: INTERVALS })
  interval!: string;

  @ApiProperty({ example: 'UTC' })
  timezone!: string;

  @ApiProperty({ type: [String] })
  by!: string[];

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', nullable: true } })
  filters!: object;

  @ApiProperty({ format: 'date-time' })
  generatedAt!: string;

  @ApiProperty({
    enum: ['daily_rollups', 'fact_rows'],
    description:
      'Where the figures were read: the daily rollups (kept current with the fact rows) or the fact rows themselves (docs/reporting.md).',
  })
  computedFrom!: string;

  @ApiProperty({ type: [KpiSeriesItemResponse] })
  series!: KpiSeriesItemResponse[];
}

export class KpiRecordResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  number!: string;

  @ApiProperty({ format: 'date-time', description: 'When the record entered the figure.' })
  at!: string;

  @ApiProperty({ type: 'number', nullable: true, description: 'Duration or age, in seconds.' })
  seconds!: number | null;

  @ApiProperty({ type: 'boolean', nullable: true, description: 'Ratios: in the numerator.' })
  counted!: boolean | null;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', nullable: true } })
  dimensions!: object;

  @ApiProperty({ description: "The record's path in the API." })
  path!: string;
}

export class KpiRecordsResponse {
  @ApiProperty({ type: MetricDefinitionResponse })
  metric!: object;

  @ApiProperty({ type: [KpiRecordResponse] })
  items!: KpiRecordResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor!: string | null;
}
