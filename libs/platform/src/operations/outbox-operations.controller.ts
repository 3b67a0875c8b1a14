import { Controller, Get, HttpCode, Param, Post, Query, type Type } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses } from '../openapi/problem-responses';
import { MAX_OUTBOX_LIMIT, OutboxOperationsApi } from './outbox-operations.api';
import { OutboxOperationsResponse, ParkedOutboxEventResponse } from './outbox-operations.response';

/**
 * `/api/v1/operations/outbox/{service}`: the service's outbox as an operator sees it (ADR
 * 19), served by each service for its own outbox and routed there by the gateway.
 */
export function outboxOperationsController(serviceName: string): Type<unknown> {
  @ApiTags('operations')
  @Controller(`api/v1/operations/outbox/${serviceName}`)
  class OutboxOperationsController {
    constructor(private readonly outbox: OutboxOperationsApi) {}

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
      schema: { type: 'integer', minimum: 1, maximum: MAX_OUTBOX_LIMIT },
    })
    @ApiResponse({ status: 200, type: OutboxOperationsResponse })
    @ApiProblemResponses(400, 403)
    list(@Query('limit') limit?: string): Promise<OutboxOperationsResponse> {
      return this.outbox.overview(limit);
    }

    @Get(':id')
    @RequirePermission('operations:manage')
    @ApiOperation({ summary: 'Read a parked event' })
    @ApiResponse({ status: 200, type: ParkedOutboxEventResponse })
    @ApiProblemResponses(400, 403, 404)
    get(@Param('id') id: string): Promise<ParkedOutboxEventResponse> {
      return this.outbox.parked(id);
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
    retry(
      @Param('id') id: string,
      @CurrentCaller() caller: Caller,
    ): Promise<ParkedOutboxEventResponse> {
      return this.outbox.retry(id, caller.username);
    }
  }
  return OutboxOperationsController;
}
