import { Controller, Get, HttpCode, Logger, Param, Post, Query, type Type } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { NotFoundProblem, ValidationProblem } from '../errors/problem';
import { ApiProblemResponses } from '../openapi/problem-responses';
import { OutboxOperationsResponse, ParkedOutboxEventResponse } from './outbox-operations.response';
import { ParkedOutbox, type ParkedOutboxRow } from './parked-outbox.repository';

const OUTBOX_ROW_ID = /^[1-9][0-9]{0,18}$/;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

function view(row: ParkedOutboxRow): ParkedOutboxEventResponse {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    parkedAt: row.parkedAt.toISOString(),
  };
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!/^[0-9]+$/.test(value) || limit < 1 || limit > MAX_LIMIT)
    throw new ValidationProblem([
      { field: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` },
    ]);
  return limit;
}

/**
 * `/api/v1/operations/outbox/{service}`: the service's outbox as an operator sees it (ADR
 * 19), served by each service for its own outbox and routed there by the gateway.
 */
export function outboxOperationsController(serviceName: string): Type<unknown> {
  @ApiTags('operations')
  @Controller(`api/v1/operations/outbox/${serviceName}`)
  class OutboxOperationsController {
    private readonly logger = new Logger('OutboxOperations');
    private readonly outbox: ParkedOutbox;

    constructor(@InjectDataSource() dataSource: DataSource) {
      this.outbox = new ParkedOutbox(dataSource);
    }

    @Get()
    @RequirePermission('operations:manage')
    @ApiOperation({
      summary: `The ${serviceName} service's outbox: pending and parked events`,
      description:
        'How many events wait to be published, and the events Kafka refused for good (too large, refused by a policy), parked with the error; each parked event holds its record’s later events behind it, in order, until it is retried.',
    })
    @ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT },
    })
    @ApiResponse({ status: 200, type: OutboxOperationsResponse })
    @ApiProblemResponses(400, 403)
    async list(@Query('limit') limit?: string): Promise<OutboxOperationsResponse> {
      const [state, parked] = await Promise.all([
        this.outbox.state(),
        this.outbox.list(limitOf(limit)),
      ]);
      return {
        service: serviceName,
        pending: state.pending,
        parkedCount: state.parked,
        parked: parked.map(view),
      };
    }

    @Post(':id/retry')
    @HttpCode(202)
    @RequirePermission('operations:manage')
    @ApiOperation({
      summary: 'Put a parked event back in line',
      description:
        'The relay publishes it next, then its record’s events that waited behind it, in order. Should Kafka refuse it again, it is parked again with the new error.',
    })
    @ApiResponse({ status: 202, type: ParkedOutboxEventResponse })
    @ApiProblemResponses(400, 403, 404)
    async retry(
      @Param('id') id: string,
      @CurrentCaller() caller: Caller,
    ): Promise<ParkedOutboxEventResponse> {
      if (!OUTBOX_ROW_ID.test(id))
        throw new ValidationProblem([
          { field: 'id', message: 'must be an outbox row id (a positive integer)' },
        ]);
      const retried = await this.outbox.retry(id);
      if (!retried) throw new NotFoundProblem('Parked outbox event', id);
      // The operator's action, for the audit trail: who put which event back, and why it was parked.
      this.logger.warn(
        `outbox row ${id} (event ${retried.eventId}, ${retried.type} of ${retried.key}) retried by ${caller.username}; it was parked for: ${retried.error}`,
      );
      return view(retried);
    }
  }
  return OutboxOperationsController;
}
