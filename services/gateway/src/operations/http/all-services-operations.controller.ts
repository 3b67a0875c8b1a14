import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller, type Permission } from '@itsm/auth';
import { DEAD_LETTER_STATUSES } from '@itsm/messaging';
import {
  ApiProblemResponses,
  DeadLetterDetailResponse,
  DeadLetterResponse,
  DiscardDeadLetterRequest,
  MAX_DEAD_LETTER_LIMIT,
  MAX_OUTBOX_LIMIT,
  ParkedOutboxEventResponse,
  ReplayDeadLetterRequest,
  ReplayResponse,
  ValidationProblem,
  outboxLimit,
} from '@itsm/platform';
import {
  AllServicesOperations,
  type ByIdCall,
  type OwnerAnswer,
} from '../application/all-services-operations';
import { type OnBehalfOf } from '../application/operations-source';
import { rowReference, type RowReference } from '../domain/row-reference';
import { AllDeadLettersResponse, AllOutboxesResponse } from './operations.responses';

/** What every route here needs, as each service's own operations routes do. */
export const OPERATIONS_PERMISSION: Permission = 'operations:manage';

const ROW_ID_PARAMETER = {
  name: 'id',
  description:
    'The row’s `ref` from the list of every service (`incident-42`), or its id at its service alone: an id two services both have is refused (409), to be named by its `ref`.',
  schema: { type: 'string', pattern: '^([a-z]+-)?[1-9][0-9]{0,18}$' },
} as const;
const FOUND_BY_ASKING =
  'A `ref` is sent to its service; an id alone is asked of every service, and the one that has it answers. The owner answers as at its own path (named in `Content-Location`), with its own status and body. 404 when no service has it (naming those that did not answer, in `unreachable`); 409 when two have the id.';

function onBehalfOf(caller: Caller, request: Request & { id?: unknown }): OnBehalfOf {
  return { caller, requestId: typeof request.id === 'string' ? request.id : undefined };
}

/** The owner's answer as it gave it; the gateway's own failure as every gateway error is rendered. */
function reply(response: Response, { location, answer }: OwnerAnswer): void {
  if (answer.problem) throw answer.problem;
  response.status(answer.status).type(answer.contentType).setHeader('content-location', location);
  response.send(JSON.stringify(answer.body));
}

/**
 * `/api/v1/operations/outbox` and `/api/v1/operations/dead-letters`: every service's parked
 * events and dead letters in one list, and a row addressed by its id alone (ADR 19, 20).
 */
@ApiTags('operations')
@ApiExtraModels(DeadLetterDetailResponse)
@Controller('api/v1/operations')
export class AllServicesOperationsController {
  constructor(private readonly operations: AllServicesOperations) {}

  @Get('outbox')
  @RequirePermission(OPERATIONS_PERMISSION)
  @ApiOperation({
    summary: 'Every service’s outbox: pending and parked events',
    description:
      'Each service’s counts and the parked events of all, each naming its `service`, oldest parked first. A service that does not answer is named in `unreachable`; the others still are listed.',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_OUTBOX_LIMIT },
  })
  @ApiResponse({ status: 200, type: AllOutboxesResponse })
  @ApiProblemResponses(400, 403)
  outbox(
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
    @Query('limit') limit?: string,
  ): Promise<AllOutboxesResponse> {
    return this.operations.outbox(outboxLimit(limit), onBehalfOf(caller, request));
  }

  @Post('outbox/:id/retry')
  @HttpCode(202)
  @RequirePermission(OPERATIONS_PERMISSION)
  @ApiOperation({
    summary: 'Put a parked event back in line, whichever service parked it',
    description: `As \`POST /api/v1/operations/outbox/{service}/{id}/retry\`. ${FOUND_BY_ASKING}`,
  })
  @ApiParam(ROW_ID_PARAMETER)
  @ApiResponse({ status: 202, type: ParkedOutboxEventResponse })
  @ApiProblemResponses(400, 403, 404, 409)
  async retry(
    @Param('id') id: string,
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.answerById(
      response,
      id,
      'Parked outbox event',
      onBehalfOf(caller, request),
      (row) => ({
        call: { kind: 'retry', id: row },
        probe: { kind: 'parked-event', id: row },
      }),
    );
  }

  @Get('dead-letters')
  @RequirePermission(OPERATIONS_PERMISSION)
  @ApiOperation({
    summary: 'Every service’s dead letters',
    description:
      'The dead letters of every service’s consumer, each naming its `service`, oldest first; filtered and paged as each service’s list is (`after` takes this list’s `next`). A service that does not answer is named in `unreachable`; the others still are listed.',
  })
  @ApiQuery({ name: 'status', required: false, enum: DEAD_LETTER_STATUSES })
  @ApiQuery({ name: 'key', required: false, description: 'Only this record’s (the Kafka key).' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_DEAD_LETTER_LIMIT },
  })
  @ApiQuery({
    name: 'after',
    required: false,
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
    description: 'The previous page’s `next`.',
  })
  @ApiResponse({ status: 200, type: AllDeadLettersResponse })
  @ApiProblemResponses(400, 403)
  deadLetters(
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
    @Query('status') status?: string,
    @Query('key') key?: string,
    @Query('limit') limit?: string,
    @Query('after') after?: string,
  ): Promise<AllDeadLettersResponse> {
    return this.operations.deadLetters({ status, key, limit, after }, onBehalfOf(caller, request));
  }

  @Get('dead-letters/:id')
  @RequirePermission(OPERATIONS_PERMISSION)
  @ApiOperation({
    summary: 'Read a dead letter, whichever service holds it',
    description: `As \`GET /api/v1/operations/dead-letters/{service}/{id}\`. ${FOUND_BY_ASKING}`,
  })
  @ApiParam(ROW_ID_PARAMETER)
  @ApiResponse({ status: 200, type: DeadLetterDetailResponse })
  @ApiProblemResponses(400, 403, 404, 409)
  async deadLetter(
    @Param('id') id: string,
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.answerById(response, id, 'Dead letter', onBehalfOf(caller, request), (row) => ({
      call: { kind: 'dead-letter', id: row },
      probe: { kind: 'dead-letter', id: row },
    }));
  }

  @Post('dead-letters/:id/replay')
  @HttpCode(200)
  @RequirePermission(OPERATIONS_PERMISSION)
  @ApiOperation({
    summary: 'Replay a dead letter, whichever service holds it',
    description: `As \`POST /api/v1/operations/dead-letters/{service}/{id}/replay\`: the owning service replays it and records the operator. ${FOUND_BY_ASKING}`,
  })
  @ApiParam(ROW_ID_PARAMETER)
  @ApiResponse({ status: 200, type: ReplayResponse })
  @ApiProblemResponses(400, 403, 404, 409)
  async replay(
    @Param('id') id: string,
    @Body() body: ReplayDeadLetterRequest,
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.answerById(response, id, 'Dead letter', onBehalfOf(caller, request), (row) => ({
      call: { kind: 'replay', id: row, body },
      probe: { kind: 'dead-letter', id: row },
    }));
  }

  @Post('dead-letters/:id/discard')
  @HttpCode(200)
  @RequirePermission(OPERATIONS_PERMISSION)
  @ApiOperation({
    summary: 'Drop a dead letter for good, whichever service holds it',
    description: `As \`POST /api/v1/operations/dead-letters/{service}/{id}/discard\`: the owning service keeps the reason and the operator. ${FOUND_BY_ASKING}`,
  })
  @ApiParam(ROW_ID_PARAMETER)
  @ApiResponse({ status: 200, type: DeadLetterResponse })
  @ApiProblemResponses(400, 403, 404, 409)
  async discard(
    @Param('id') id: string,
    @Body() body: DiscardDeadLetterRequest,
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.answerById(response, id, 'Dead letter', onBehalfOf(caller, request), (row) => ({
      call: { kind: 'discard', id: row, body },
      probe: { kind: 'dead-letter', id: row },
    }));
  }

  /**
   * A call on the row `{id}` names (a `ref` or an id alone), sent to the service that has
   * it, and that service's answer passed on; `calls` says what to ask and how to probe.
   */
  private async answerById(
    response: Response,
    id: string,
    what: string,
    on: OnBehalfOf,
    calls: (rowId: string) => { call: ByIdCall; probe: ByIdCall },
  ): Promise<void> {
    const row = this.reference(id);
    const { call, probe } = calls(row.id);
    reply(response, await this.operations.byId(call, probe, what, on, row.service));
  }

  /** The `{id}` of a path: a `ref` or an id alone, else a 400 naming it. */
  private reference(id: string): RowReference {
    const row = rowReference(id, this.operations.services);
    if (!row)
      throw new ValidationProblem([
        {
          field: 'id',
          message: `must be a row's ref from the list (<service>-<id>, the service one of ${this.operations.services.join(', ')}) or its id alone (a positive integer)`,
        },
      ]);
    return row;
  }
}
