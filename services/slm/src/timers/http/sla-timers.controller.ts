import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsUUID } from 'class-validator';
import { SLA_TIMER_STATES, type SlaTimerState } from '@itsm/contracts';
import {
  CurrentCaller,
  RECORD_TYPES,
  RequirePermission,
  type Caller,
  type RecordType,
} from '@itsm/auth';
import {
  ApiProblemResponses,
  PageQuery,
  ParseUuidPipe,
  decodeCursor,
  type Page,
  CsvExport,
  CommaList,
} from '@itsm/platform';
import {
  TIMER_SORTS,
  TimersQueryService,
  type SlaTimerView,
  type TimerListPosition,
  type TimerSort,
} from '../application/timers-query.service';
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

  @ApiPropertyOptional({
    enum: RECORD_TYPES,
    description: 'Only timers of incidents, or of requests.',
  })
  @IsOptional()
  @IsIn(RECORD_TYPES)
  recordType?: RecordType;

  @ApiPropertyOptional({
    description: `States, comma-separated: ${SLA_TIMER_STATES.join(', ')}.`,
    example: 'running,breached',
  })
  @IsOptional()
  @CommaList()
  @IsIn(SLA_TIMER_STATES, { each: true })
  state?: SlaTimerState[];

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Only timers due before this instant: running ones and breached ones still counting (the others have no due time).',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  dueBefore?: Date;

  @ApiPropertyOptional({
    enum: TIMER_SORTS,
    description:
      '`startedAt` (default): in start order. `dueAt`: soonest due first, only the timers that have a due time (running, or breached and still counting); the breaching-soon queue.',
  })
  @IsOptional()
  @IsIn(TIMER_SORTS)
  sort?: TimerSort;
}

/** Where a page ends: the sort's instant and the id, under the sort field's own name. */
function positionIn(cursor: string, sort: TimerSort): TimerListPosition {
  const { [sort]: at, id } = decodeCursor(cursor, { [sort]: 'instant', id: 'uuid' });
  return { at, id };
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
      'Usually of one record (`recordId`), in start order; or the timers due soonest (`sort=dueAt`, `dueBefore`). Elapsed time and percentage are as of the read. Only timers of records you may see (the record-level rule, by the record as the slm last heard of it).',
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
    const sort = query.sort ?? 'startedAt';
    const after = query.cursor ? positionIn(query.cursor, sort) : undefined;
    return this.timers.list(
      caller,
      {
        recordId: query.recordId,
        slaId: query.slaId,
        recordType: query.recordType,
        states: query.state,
        dueBefore: query.dueBefore,
      },
      { sort, limit: query.limit, after },
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
