import { Body, Controller, Get, HttpCode, Param, Post, Query, type Type } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { DEAD_LETTER_STATUSES } from '@itsm/messaging';
import { ApiProblemResponses } from '../openapi/problem-responses';
import { DeadLetterOperationsApi, MAX_DEAD_LETTER_LIMIT } from './dead-letter-operations.api';
import {
  DeadLetterDetailResponse,
  DeadLetterListResponse,
  DeadLetterResponse,
  DiscardDeadLetterRequest,
  ReplayDeadLetterRequest,
  ReplayResponse,
} from './dead-letter-operations.dto';

/**
 * `/api/v1/operations/dead-letters/{service}`: the service's consumer group's dead letters
 * (ADR 20), served by each service and routed there by the gateway.
 */
export function deadLettersController(serviceName: string): Type<unknown> {
  @ApiTags('operations')
  @Controller(`api/v1/operations/dead-letters/${serviceName}`)
  class DeadLettersController {
    constructor(private readonly deadLetters: DeadLetterOperationsApi) {}

    @Get()
    @RequirePermission('operations:manage')
    @ApiOperation({
      summary: `The ${serviceName} service's dead letters`,
      description:
        'Events its consumer could not apply (`open`), and the later events of the same records that wait behind them (`held`), with what operators did with each; oldest first.',
    })
    @ApiQuery({ name: 'status', required: false, enum: DEAD_LETTER_STATUSES })
    @ApiQuery({ name: 'key', required: false, description: 'Only this record’s (the Kafka key).' })
    @ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: MAX_DEAD_LETTER_LIMIT },
    })
    @ApiQuery({ name: 'after', required: false, schema: { type: 'string', pattern: '^[0-9]+$' } })
    @ApiResponse({ status: 200, type: DeadLetterListResponse })
    @ApiProblemResponses(400, 403)
    list(
      @Query('status') status?: string,
      @Query('key') key?: string,
      @Query('limit') limit?: string,
      @Query('after') after?: string,
    ): Promise<DeadLetterListResponse> {
      return this.deadLetters.list({ status, key, limit, after });
    }

    @Get(':id')
    @RequirePermission('operations:manage')
    @ApiOperation({ summary: 'Read a dead letter, with the record as it was read' })
    @ApiResponse({ status: 200, type: DeadLetterDetailResponse })
    @ApiProblemResponses(400, 403, 404)
    get(@Param('id') id: string): Promise<DeadLetterDetailResponse> {
      return this.deadLetters.get(id);
    }

    @Post(':id/replay')
    @HttpCode(200)
    @RequirePermission('operations:manage')
    @ApiOperation({
      summary: 'Replay a dead letter, then the events of its record held behind it',
      description:
        'Applied through the service’s own handler in its consumer group’s inbox (an event applied meanwhile is not applied twice), then each event of the same record held behind it, in order, until one fails again. Only the record’s first unsettled dead letter can be replayed.',
    })
    @ApiResponse({ status: 200, type: ReplayResponse })
    @ApiProblemResponses(400, 403, 404, 409)
    replay(
      @Param('id') id: string,
      @Body() body: ReplayDeadLetterRequest,
      @CurrentCaller() caller: Caller,
    ): Promise<ReplayResponse> {
      return this.deadLetters.replay(id, body, caller.username);
    }

    @Post(':id/discard')
    @HttpCode(200)
    @RequirePermission('operations:manage')
    @ApiOperation({
      summary: 'Drop a dead letter for good',
      description:
        'The event is not applied; the record’s events held behind it stay held, to be replayed next. The reason is kept with the entry.',
    })
    @ApiResponse({ status: 200, type: DeadLetterResponse })
    @ApiProblemResponses(400, 403, 404, 409)
    discard(
      @Param('id') id: string,
      @Body() body: DiscardDeadLetterRequest,
      @CurrentCaller() caller: Caller,
    ): Promise<DeadLetterResponse> {
      return this.deadLetters.discard(id, body, caller.username);
    }
  }
  return DeadLettersController;
}
