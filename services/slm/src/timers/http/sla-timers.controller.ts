import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { SLA_TIMER_STATES } from '@itsm/contracts';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  PageQuery,
  ParseUuidPipe,
  decodeCursor,
  type Page,
  CsvExport,
} from '@itsm/platform';
import { TimersQueryService, type SlaTimerView } from '../application/timers-query.service';
import { SlaTimerPageResponse, SlaTimerResponse } from './dto/sla-timer.response';

class SlaTimerQuery extends PageQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The incident or request whose timers to list.',
  })
  @IsOptional()
  @IsUUID()
  recordId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only timers of this definition.' })
  @IsOptional()
  @IsUUID()
  slaId?: string;

  @ApiPropertyOptional({ enum: SLA_TIMER_STATES })
  @IsOptional()
  @IsIn(SLA_TIMER_STATES)
  state?: string;
}

@ApiTags('service levels')
@Controller('api/v1/sla-timers')
@RequirePermission('sla:read')
export class SlaTimersController {
  constructor(private readonly timers: TimersQueryService) {}

  @Get()
  @ApiOperation({
    summary: 'List SLA timers',
    description:
      'Usually of one record (`recordId`), in start order. Elapsed time and percentage are as of the read. Only timers of records you may see (the record-level rule, by the record as the slm last heard of it).',
  })
  @ApiResponse({ status: 200, type: SlaTimerPageResponse, description: 'One page.' })
  @ApiProblemResponses(400)
  @CsvExport<SlaTimerView>({
    name: 'sla-timers',
    columns: [
      'id',
      'recordId',
      'recordType',
      'recordNumber',
      'slaId',
      'slaVersion',
      'slaName',
      'kind',
      'target',
      'state',
      'startedAt',
      'dueAt',
      'elapsedMs',
      'durationMs',
      'percentUsed',
      'breachedAt',
      'stoppedAt',
      'pauseReason',
      'calendarId',
      'warningThresholds',
      'businessServiceId',
      'assignmentGroup',
    ],
  })
  async list(
    @Query() query: SlaTimerQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<SlaTimerView>> {
    const after = query.cursor
      ? decodeCursor(query.cursor, { startedAt: 'instant', id: 'uuid' })
      : undefined;
    return this.timers.list(
      caller,
      { recordId: query.recordId, slaId: query.slaId, state: query.state },
      query.limit,
      after,
    );
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Read an SLA timer',
    description: 'A timer of a record you may not see is 404, as an unknown one.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: SlaTimerResponse, description: 'The timer.' })
  @ApiProblemResponses(400, 404)
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @CurrentCaller() caller: Caller,
  ): Promise<SlaTimerView> {
    return this.timers.get(id, caller);
  }
}
