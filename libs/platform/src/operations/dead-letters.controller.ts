import {
  Body,
  Controller,
  Get,
  HttpCode,
  Logger,
  Param,
  Post,
  Query,
  type Type,
} from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { DEAD_LETTER_STATUSES, type DeadLetterEntry, type DeadLetterStatus } from '@itsm/messaging';
import { ValidationProblem } from '../errors/problem';
import { ApiProblemResponses } from '../openapi/problem-responses';
import { DeadLetterOperations } from './dead-letter-operations';
import {
  DeadLetterDetailResponse,
  DeadLetterListResponse,
  DeadLetterResponse,
  DiscardDeadLetterRequest,
  ReplayDeadLetterRequest,
  ReplayResponse,
} from './dead-letter-operations.dto';

const ROW_ID = /^[1-9][0-9]{0,18}$/;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

function view(entry: DeadLetterEntry): DeadLetterResponse {
  return {
    id: entry.id,
    topic: entry.topic,
    partition: entry.partition,
    offset: entry.offset,
    key: entry.messageKey,
    eventId: entry.eventId,
    eventType: entry.eventType,
    status: entry.status,
    errorType: entry.errorType,
    errorMessage: entry.errorMessage,
    attempts: entry.attempts,
    deadLetteredAt: entry.deadLetteredAt.toISOString(),
    settledBy: entry.settledBy,
    settledAt: entry.settledAt?.toISOString() ?? null,
    settleNote: entry.settleNote,
  };
}

function rowId(field: string, value: string): string {
  if (!ROW_ID.test(value))
    throw new ValidationProblem([
      { field, message: 'must be a dead letter id (a positive integer)' },
    ]);
  return value;
}

/**
 * `/api/v1/operations/dead-letters/{service}`: the service's consumer group's dead letters
 * (ADR 20), served by each service and routed there by the gateway.
 */
export function deadLettersController(serviceName: string): Type<unknown> {
  @ApiTags('operations')
  @Controller(`api/v1/operations/dead-letters/${serviceName}`)
  class DeadLettersController {
    private readonly logger = new Logger('DeadLetterOperations');

    constructor(private readonly operations: DeadLetterOperations) {}

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
      schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT },
    })
    @ApiQuery({ name: 'after', required: false, schema: { type: 'string', pattern: '^[0-9]+$' } })
    @ApiResponse({ status: 200, type: DeadLetterListResponse })
    @ApiProblemResponses(400, 403)
    async list(
      @Query('status') status?: string,
      @Query('key') key?: string,
      @Query('limit') limit?: string,
      @Query('after') after?: string,
    ): Promise<DeadLetterListResponse> {
      const problems = [];
      if (status !== undefined && !(DEAD_LETTER_STATUSES as readonly string[]).includes(status))
        problems.push({
          field: 'status',
          message: `must be one of ${DEAD_LETTER_STATUSES.join(', ')}`,
        });
      const size = limit === undefined ? DEFAULT_LIMIT : Number(limit);
      if (limit !== undefined && (!/^[0-9]+$/.test(limit) || size < 1 || size > MAX_LIMIT))
        problems.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` });
      if (after !== undefined && !/^[0-9]{1,19}$/.test(after))
        problems.push({ field: 'after', message: 'must be a dead letter id' });
      if (problems.length > 0) throw new ValidationProblem(problems);
      const entries = await this.operations.list({
        status: status as DeadLetterStatus | undefined,
        messageKey: key,
        limit: size + 1,
        afterId: after,
      });
      const page = entries.slice(0, size);
      return {
        service: serviceName,
        items: page.map(view),
        next: entries.length > size ? (page.at(-1)?.id ?? null) : null,
      };
    }

    @Get(':id')
    @RequirePermission('operations:manage')
    @ApiOperation({ summary: 'Read a dead letter, with the record as it was read' })
    @ApiResponse({ status: 200, type: DeadLetterDetailResponse })
    @ApiProblemResponses(400, 403, 404)
    async get(@Param('id') id: string): Promise<DeadLetterDetailResponse> {
      const entry = await this.operations.get(rowId('id', id));
      return {
        ...view(entry),
        headers: entry.messageHeaders,
        value: entry.messageValue?.toString('utf8') ?? null,
      };
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
    async replay(
      @Param('id') id: string,
      @Body() body: ReplayDeadLetterRequest,
      @CurrentCaller() caller: Caller,
    ): Promise<ReplayResponse> {
      const outcome = await this.operations.replay(
        rowId('id', id),
        caller.username,
        body.note ?? null,
      );
      this.logger.warn(
        `dead letter ${id} replayed by ${caller.username}: ${outcome.replayed.length} applied${outcome.failed ? `, ${outcome.failed.id} failed again` : ''}`,
      );
      return {
        replayed: outcome.replayed.map(view),
        failed: outcome.failed && view(outcome.failed),
      };
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
    async discard(
      @Param('id') id: string,
      @Body() body: DiscardDeadLetterRequest,
      @CurrentCaller() caller: Caller,
    ): Promise<DeadLetterResponse> {
      const entry = await this.operations.discard(rowId('id', id), caller.username, body.reason);
      this.logger.warn(`dead letter ${id} discarded by ${caller.username}: ${body.reason}`);
      return view(entry);
    }
  }
  return DeadLettersController;
}
