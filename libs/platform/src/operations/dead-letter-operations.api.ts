import { Logger } from '@nestjs/common';
import { DEAD_LETTER_STATUSES, type DeadLetterEntry, type DeadLetterStatus } from '@itsm/messaging';
import { ValidationProblem, type FieldError } from '../errors/problem';
import { type DeadLetterOperations } from './dead-letter-operations';
import {
  type DeadLetterDetailResponse,
  type DeadLetterListResponse,
  type DeadLetterResponse,
  type DiscardDeadLetterRequest,
  type ReplayDeadLetterRequest,
  type ReplayResponse,
} from './dead-letter-operations.dto';

const ROW_ID = /^[1-9][0-9]{0,18}$/;
const DEFAULT_LIMIT = 100;
export const MAX_DEAD_LETTER_LIMIT = 1000;

/** A dead letter list's query as it arrives, every parameter optional. */
export interface DeadLetterListQuery {
  status?: string;
  key?: string;
  limit?: string;
  after?: string;
}

/** The same query, checked. */
export interface DeadLetterListFilter {
  status?: DeadLetterStatus;
  key?: string;
  limit: number;
}

/**
 * The filter of a dead letter list (`status`, `key`, `limit`) and the problems with it,
 * the service's list and the gateway's list of every service's alike.
 */
export function deadLetterListFilter(query: DeadLetterListQuery): {
  filter: DeadLetterListFilter;
  problems: FieldError[];
} {
  const problems: FieldError[] = [];
  const { status, key, limit } = query;
  if (status !== undefined && !(DEAD_LETTER_STATUSES as readonly string[]).includes(status))
    problems.push({
      field: 'status',
      message: `must be one of ${DEAD_LETTER_STATUSES.join(', ')}`,
    });
  const size = limit === undefined ? DEFAULT_LIMIT : Number(limit);
  if (limit !== undefined && (!/^[0-9]+$/.test(limit) || size < 1 || size > MAX_DEAD_LETTER_LIMIT))
    problems.push({
      field: 'limit',
      message: `must be an integer from 1 to ${MAX_DEAD_LETTER_LIMIT}`,
    });
  return {
    filter: { status: status as DeadLetterStatus | undefined, key, limit: size },
    problems,
  };
}

/** A dead letter id as the operations API takes it, else a 400 naming `id`. */
export function deadLetterId(value: string): string {
  if (!ROW_ID.test(value))
    throw new ValidationProblem([
      { field: 'id', message: 'must be a dead letter id (a positive integer)' },
    ]);
  return value;
}

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

/**
 * What the operations API answers about a service's own dead letters (ADR 20): its
 * controller serves it at `/api/v1/operations/dead-letters/{service}`, and the gateway asks
 * its own when it gathers every service's. Settlements record the operator and are logged.
 */
export class DeadLetterOperationsApi {
  private readonly logger = new Logger('DeadLetterOperations');

  constructor(
    readonly serviceName: string,
    private readonly operations: DeadLetterOperations,
  ) {}

  async list(query: DeadLetterListQuery): Promise<DeadLetterListResponse> {
    const { filter, problems } = deadLetterListFilter(query);
    if (query.after !== undefined && !/^[0-9]{1,19}$/.test(query.after))
      problems.push({ field: 'after', message: 'must be a dead letter id' });
    if (problems.length > 0) throw new ValidationProblem(problems);
    const entries = await this.operations.list({
      status: filter.status,
      messageKey: filter.key,
      limit: filter.limit + 1,
      afterId: query.after,
    });
    const page = entries.slice(0, filter.limit);
    return {
      service: this.serviceName,
      items: page.map(view),
      next: entries.length > filter.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  async get(id: string): Promise<DeadLetterDetailResponse> {
    const entry = await this.operations.get(deadLetterId(id));
    return {
      ...view(entry),
      headers: entry.messageHeaders,
      value: entry.messageValue?.toString('utf8') ?? null,
    };
  }

  async replay(
    id: string,
    body: ReplayDeadLetterRequest,
    operator: string,
  ): Promise<ReplayResponse> {
    const outcome = await this.operations.replay(deadLetterId(id), operator, body.note ?? null);
    this.logger.warn(
      `dead letter ${id} replayed by ${operator}: ${outcome.replayed.length} applied${outcome.failed ? `, ${outcome.failed.id} failed again` : ''}`,
    );
    return {
      replayed: outcome.replayed.map(view),
      failed: outcome.failed && view(outcome.failed),
    };
  }

  async discard(
    id: string,
    body: DiscardDeadLetterRequest,
    operator: string,
  ): Promise<DeadLetterResponse> {
    const entry = await this.operations.discard(deadLetterId(id), operator, body.reason);
    this.logger.warn(`dead letter ${id} discarded by ${operator}: ${body.reason}`);
    return view(entry);
  }
}
