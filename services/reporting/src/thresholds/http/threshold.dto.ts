import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { THRESHOLD_COMPARISONS, type ThresholdComparison } from '@itsm/contracts';
import { INTERVALS, type Interval } from '../../kpis/domain/periods';
import { THRESHOLD_STATISTICS, type ThresholdStatistic } from '../domain/kpi-threshold';

/** Defaults (documented here) are applied by the controller: a PATCH must not reset fields it omits. */
export class CreateThresholdDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'P1 MTTR over 4 hours this week' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'mttr', description: 'A metric id from `GET /api/v1/reports/metrics`.' })
  @IsString()
  @MaxLength(100)
  metric!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    example: { priority: 'P1' },
    description: "The metric's dimension filters; null selects records without a value.",
  })
  @IsOptional()
  @IsObject()
  filters?: Record<string, string | null>;

  @ApiPropertyOptional({
    enum: THRESHOLD_STATISTICS,
    default: 'value',
    description: 'The figure watched: the headline `value`, or `p50`/`p90` of a duration.',
  })
  @IsOptional()
  @IsIn(THRESHOLD_STATISTICS)
  statistic?: ThresholdStatistic;

  @ApiProperty({ enum: THRESHOLD_COMPARISONS })
  @IsIn(THRESHOLD_COMPARISONS)
  comparison!: ThresholdComparison;

  @ApiProperty({ example: 4, description: "The limit, in the metric's unit." })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  limit!: number;

  @ApiPropertyOptional({
    enum: INTERVALS,
    default: 'week',
    description: 'The period the figure covers: the current day, ISO week or month.',
  })
  @IsOptional()
  @IsIn(INTERVALS)
  interval?: Interval;

  @ApiPropertyOptional({ default: 'UTC', example: 'Europe/Paris' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({ type: [String], description: 'Groups the events name for subscribers.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  notifyGroups?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateThresholdDto extends PartialType(CreateThresholdDto) {}
