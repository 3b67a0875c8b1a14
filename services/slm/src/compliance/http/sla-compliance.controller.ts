import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, ValidationProblem } from '@itsm/platform';
import { ComplianceService, type ComplianceItem } from '../application/compliance.service';
import {
  COMPLIANCE_DIMENSIONS,
  COMPLIANCE_PERIODS,
  type ComplianceDimension,
  type CompliancePeriod,
} from '../persistence/compliance.repository';

class ComplianceQueryDto {
  @ApiProperty({ format: 'date-time', description: 'Timers started at or after this time.' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'Timers started before this time.' })
  @IsISO8601({ strict: true })
  to!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  slaId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  businessServiceId?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  assignmentGroup?: string;

  @ApiPropertyOptional({
    description:
      'Comma-separated dimensions to group by: `sla`, `service`, `group` (default `sla`).',
    example: 'sla,service',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)
      : value,
  )
  @IsIn(COMPLIANCE_DIMENSIONS, { each: true })
  groupBy?: ComplianceDimension[];

  @ApiPropertyOptional({
    enum: COMPLIANCE_PERIODS,
    description: 'Also group by the UTC day, week or month the timers started.',
  })
  @IsOptional()
  @IsIn(COMPLIANCE_PERIODS)
  period?: CompliancePeriod;
}

class ComplianceItemResponse {
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) slaId!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) slaName!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) businessServiceId!:
    string | null;
  @ApiProperty({ type: 'string', nullable: true }) assignmentGroup!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) periodStart!: string | null;
  @ApiProperty({ type: 'integer' }) met!: number;
  @ApiProperty({ type: 'integer' }) breached!: number;
  @ApiProperty({ type: 'integer', description: 'Running or paused.' }) inFlight!: number;
  @ApiProperty({ type: 'integer' }) cancelled!: number;
  @ApiProperty({ type: 'number', nullable: true, description: 'met / (met + breached).' })
  shareMet!: number | null;
  @ApiProperty({
    type: 'number',
    nullable: true,
    description: 'Over met timers and breached timers since stopped.',
  })
  meanPercentUsed!: number | null;
  @ApiProperty({ type: 'number', nullable: true }) p90PercentUsed!: number | null;
  @ApiProperty({ type: 'number', nullable: true }) meanElapsedMs!: number | null;
  @ApiProperty({ type: 'number', nullable: true }) p90ElapsedMs!: number | null;
}

class ComplianceResponse {
  @ApiProperty({ type: [ComplianceItemResponse] }) items!: ComplianceItemResponse[];
}

@ApiTags('service levels')
@Controller('api/v1/sla-compliance')
export class SlaComplianceController {
  constructor(private readonly compliance: ComplianceService) {}

  @Get()
  @ApiOperation({
    summary: 'SLA compliance',
    description:
      'For timers started in [from, to): counts met, breached, in flight and cancelled, the share met, and the mean and 90th percentile of the time used, per definition, business service, group and period as asked. Only the timers of records you may see are counted.',
  })
  @ApiResponse({ status: 200, type: ComplianceResponse, description: 'One item per group.' })
  @ApiProblemResponses(400)
  @RequirePermission('sla:read')
  async summarize(
    @Query() query: ComplianceQueryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<{ items: ComplianceItem[] }> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (to <= from) throw new ValidationProblem([{ field: 'to', message: 'must be after from' }]);
    const items = await this.compliance.summarize({
      from,
      to,
      slaId: query.slaId,
      businessServiceId: query.businessServiceId,
      assignmentGroup: query.assignmentGroup,
      groupBy: [...new Set<ComplianceDimension>(query.groupBy ?? ['sla'])],
      period: query.period,
      reader: caller,
    });
    return { items };
  }
}
