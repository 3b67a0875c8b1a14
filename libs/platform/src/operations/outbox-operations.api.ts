import { Logger } from '@nestjs/common';
import { NotFoundProblem, ValidationProblem } from '../errors/problem';
import { OutboxOperationsResponse, ParkedOutboxEventResponse } from './outbox-operations.response';
import { type ParkedOutbox, type ParkedOutboxRow } from './parked-outbox.repository';

export const OUTBOX_ROW_ID = /^[1-9][0-9]{0,18}$/;
const DEFAULT_LIMIT = 100;
export const MAX_OUTBOX_LIMIT = 1000;

function view(row: ParkedOutboxRow): ParkedOutboxEventResponse {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    parkedAt: row.parkedAt.toISOString(),
  };
}

/** `limit` of an outbox list as the operations API takes it: 1 to 1000, 100 when absent. */
export function outboxLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!/^[0-9]+$/.test(value) || limit < 1 || limit > MAX_OUTBOX_LIMIT)
    throw new ValidationProblem([
      { field: 'limit', message: `must be an integer from 1 to ${MAX_OUTBOX_LIMIT}` },
    ]);
  return limit;
}

/** An outbox row id as the operations API takes it, else a 400 naming `id`. */
export function outboxRowId(value: string): string {
  if (!OUTBOX_ROW_ID.test(value))
    throw new ValidationProblem([
      { field: 'id', message: 'must be an outbox row id (a positive integer)' },
    ]);
  return value;
}

/**
 * What the operations API answers about a service's own outbox (ADR 19): its controller
 * serves it at `/api/v1/operations/outbox/{service}`, and the gateway asks its own when it
 * gathers every service's.
 */
export class OutboxOperationsApi {
  private readonly logger = new Logger('OutboxOperations');

  constructor(
    readonly serviceName: string,
    private readonly outbox: ParkedOutbox,
  ) {}

  async overview(limit: string | undefined): Promise<OutboxOperationsResponse> {
    const size = outboxLimit(limit);
    const [state, parked] = await Promise.all([this.outbox.state(), this.outbox.list(size)]);
    return {
      service: this.serviceName,
      pending: state.pending,
      parkedCount: state.parked,
      parked: parked.map(view),
    };
  }

  async parked(id: string): Promise<ParkedOutboxEventResponse> {
    const row = await this.outbox.findParked(outboxRowId(id));
    if (!row) throw new NotFoundProblem('Parked outbox event', id);
    return view(row);
  }

  async retry(id: string, operator: string): Promise<ParkedOutboxEventResponse> {
    const retried = await this.outbox.retry(outboxRowId(id));
    if (!retried) throw new NotFoundProblem('Parked outbox event', id);
    // The operator's action, for the audit trail: who put which event back, and why it was parked.
    this.logger.warn(
      `outbox row ${id} (event ${retried.eventId}, ${retried.type} of ${retried.key}) retried by ${operator}; it was parked for: ${retried.error}`,
    );
    return view(retried);
  }
}
