import { createHash } from 'node:crypto';
import {
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Request, type Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource, type EntityManager } from 'typeorm';
import { type RequestWithCaller } from '@itsm/auth';
import { inEnclosingTransaction, qualifiedTable } from '@itsm/persistence';
import { ProblemException, ValidationProblem } from '../errors/problem';
import { IdempotencyRecord } from './idempotency-record.entity';
import { IDEMPOTENCY_WINDOW_HOURS } from './idempotency-window';

export const IDEMPOTENT = 'itsm:idempotent';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export { IDEMPOTENCY_WINDOW_HOURS };
/** Response headers a replay repeats. */
const REPLAYED_HEADERS = ['location', 'etag'];

/** A create that honours `Idempotency-Key`: a retry within 24 hours gets the first answer and creates nothing. */
export const Idempotent = () => SetMetadata(IDEMPOTENT, true);

function requestHash(request: Request): string {
  return createHash('sha256')
    .update(`${request.method} ${request.path}\n${JSON.stringify(request.body ?? null)}`)
    .digest('base64url');
}

/**
 * Remembers the answer to each `@Idempotent()` request sent with an `Idempotency-Key`, per
 * caller. A retry of a completed request replays it (`Idempotency-Replayed: true`); a retry
 * while the first is still running gets 409; the same key with a different request gets 422.
 *
 * The key is claimed, the request handled and its answer stored in one transaction, which
 * the use case's own transaction joins (ADR 21): the answer is stored if and only if the
 * create is, so neither a failure writing the answer nor a crash can let a retry create a
 * second record, and a crash leaves no key behind that would answer 409. A request that
 * fails rolls back with its key, so the client can retry it.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (
      context.getType() !== 'http' ||
      !this.reflector.get<boolean>(IDEMPOTENT, context.getHandler())
    )
      return next.handle();
    const request = context.switchToHttp().getRequest<Request & RequestWithCaller>();
    const key = request.header(IDEMPOTENCY_KEY_HEADER);
    if (key === undefined) return next.handle();
    if (key.length === 0 || key.length > 255) {
      throw new ValidationProblem([
        { field: 'Idempotency-Key', message: 'must be 1 to 255 characters' },
      ]);
    }
    const response = context.switchToHttp().getResponse<Response>();
    const claim = { caller: request.caller?.username ?? 'anonymous', key };
    return from(
      inEnclosingTransaction(this.dataSource, (manager) =>
        this.handle(manager, claim, requestHash(request), next, response),
      ),
    );
  }

  private async handle(
    manager: EntityManager,
    claim: { caller: string; key: string },
    hash: string,
    next: CallHandler,
    response: Response,
  ): Promise<unknown> {
    const table = qualifiedTable(manager.getRepository(IdempotencyRecord).metadata);
    // Held until the transaction ends: a retry arriving meanwhile is told to come back
    // rather than queueing a second connection behind the first request.
    const [lock] = await manager.query<{ held: boolean }[]>(
      'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS held',
      [`${table}\n${claim.caller}\n${claim.key}`],
    );
    if (!lock?.held) throw requestInProgress(response);

    const [answered] = await manager.query<StoredAnswer[]>(
      `SELECT request_hash AS "requestHash", status_code AS "statusCode", response_headers AS "responseHeaders",
              response_body AS "responseBody"
         FROM ${table}
        WHERE caller = $1 AND idempotency_key = $2 AND completed_at IS NOT NULL
          AND created_at > now() - interval '${IDEMPOTENCY_WINDOW_HOURS} hours'`,
      [claim.caller, claim.key],
    );
    if (answered) return this.replay(answered, hash, response);

    const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = response.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    // Over an expired answer to the same key, or a claim an earlier version left unanswered.
    await manager.query(
      `INSERT INTO ${table} (caller, idempotency_key, request_hash, status_code, response_headers, response_body, created_at, completed_at)
       VALUES ($1, $2, $3, $4, $5, $6, now(), now())
       ON CONFLICT (caller, idempotency_key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status_code = EXCLUDED.status_code,
             response_headers = EXCLUDED.response_headers, response_body = EXCLUDED.response_body,
             created_at = EXCLUDED.created_at, completed_at = EXCLUDED.completed_at`,
      [claim.caller, claim.key, hash, response.statusCode, headers, JSON.stringify(body ?? null)],
    );
    return body;
  }

  private replay(answer: StoredAnswer, hash: string, response: Response): unknown {
    if (answer.requestHash !== hash) {
      throw new ProblemException(
        422,
        'idempotency-key-reused',
        'Idempotency-Key reused',
        'This Idempotency-Key was used for a different request; use a new key for a new request.',
      );
    }
    response.status(answer.statusCode);
    for (const [name, value] of Object.entries(answer.responseHeaders ?? {}))
      response.setHeader(name, value);
    response.setHeader('Idempotency-Replayed', 'true');
    return answer.responseBody;
  }
}

interface StoredAnswer {
  requestHash: string;
  statusCode: number;
  responseHeaders: Record<string, string> | null;
  responseBody: unknown;
}

function requestInProgress(response: Response): ProblemException {
  response.setHeader('Retry-After', '1');
  return new ProblemException(
    409,
    'request-in-progress',
    'Conflict',
    'The first request with this Idempotency-Key is still being processed.',
  );
}
