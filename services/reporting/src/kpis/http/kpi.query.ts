import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { BooleanQuery } from '@itsm/platform';
import { type RawKpiQuery } from '../domain/kpi-request';
import { DIMENSIONS, type Dimension } from '../domain/metric-definitions';
import { INTERVALS } from '../domain/periods';

const FILTER_DESCRIPTION =
  'Only records with this value (an empty value: records without one). Which filters a metric takes is in its definition (`dimensions`).';

/** The range, grouping and filters of a KPI query; `kpiRequestOf` checks how they fit the metric. */
export class KpiQuery {
  @ApiPropertyOptional({
    description:
      'Start of the range: a date (`2026-01-01`, midnight in `timezone`) or a date-time with offset. Default: 30 days before `to`.',
    example: '2026-01-01',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({
    description: 'End of the range (exclusive), as `from`. Default: now.',
    example: '2027-01-01',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({ enum: INTERVALS, default: 'day' })
  @IsOptional()
  @IsIn(INTERVALS)
  interval?: string;

  @ApiPropertyOptional({
    description: 'The IANA time zone periods follow (days, ISO weeks from Monday, months).',
    default: 'UTC',
    example: 'Europe/Paris',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({
    description: "Up to two breakdowns, comma-separated, from the metric's `dimensions`.",
    example: 'service,group',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  by?: string;

  @ApiPropertyOptional({
    description:
      'true: compute from the fact rows, with exact percentiles, even where the daily rollups answer (docs/reporting.md).',
    default: false,
  })
  @IsOptional()
  @BooleanQuery()
  @IsIn([true, false])
  exact?: boolean;

  @ApiPropertyOptional({ description: FILTER_DESCRIPTION })
  @IsOptional()
  @IsString()
  service?: string;
  @ApiPropertyOptional({ description: FILTER_DESCRIPTION })
  @IsOptional()
  @IsString()
  group?: string;
  @ApiPropertyOptional({ description: FILTER_DESCRIPTION })
  @IsOptional()
  @IsString()
  priority?: string;
  @ApiPropertyOptional({ description: FILTER_DESCRIPTION })
  @IsOptional()
  @IsString()
  category?: string;
  @ApiPropertyOptional({ description: FILTER_DESCRIPTION })
  @IsOptional()
  @IsString()
  ci_class?: string;
  @ApiPropertyOptional({ description: FILTER_DESCRIPTION }) @IsOptional() @IsString() sla?: string;
  @ApiPropertyOptional({ description: FILTER_DESCRIPTION })
  @IsOptional()
  @IsString()
  target?: string;
  @ApiPropertyOptional({ description: FILTER_DESCRIPTION })
  @IsOptional()
  @IsString()
  model?: string;
  @ApiPropertyOptional({ description: FILTER_DESCRIPTION }) @IsOptional() @IsString() risk?: string;
  @ApiPropertyOptional({ description: FILTER_DESCRIPTION })
  @IsOptional()
  @IsString()
  source?: string;
  @ApiPropertyOptional({ description: FILTER_DESCRIPTION })
  @IsOptional()
  @IsString()
  class?: string;
  @ApiPropertyOptional({ description: FILTER_DESCRIPTION })
  @IsOptional()
  @IsString()
  environment?: string;
}

export class KpiRecordsQuery extends KpiQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsUUID()
  cursor?: string;
}

export function rawKpiQueryOf(query: KpiQuery): RawKpiQuery {
  return {
    from: query.from,
    to: query.to,
    interval: query.interval,
    timezone: query.timezone,
    by: query.by,
    exact: query.exact,
    filters: Object.fromEntries(
      (Object.keys(DIMENSIONS) as Dimension[]).map((dimension) => [dimension, query[dimension]]),
    ),
  };
}
