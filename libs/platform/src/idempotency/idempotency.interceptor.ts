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
import { DataSource } from 'typeorm';
import { type RequestWithCaller } from '@itsm/auth';
import { qualifiedTable } from '@itsm/persistence';
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
 * A request that fails forgets its key, so the client can retry it.
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
    return from(
      this.handle(
        context,
        next,
        request.caller?.username ?? 'anonymous',
        key,
        requestHash(request),
      ),
    );
  }

  private async handle(
    context: ExecutionContext,
    next: CallHandler,
    caller: string,
    key: string,
    hash: string,
  ): Promise<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    const repository = this.dataSource.getRepository(IdempotencyRecord);
    const claimed = await this.dataSource.query<unknown[]>(
      `INSERT INTO ${qualifiedTable(repository.metadata)} AS stored (caller, idempotency_key, request_hash)
       VALUES ($1, $2, $3)
       ON CONFLICT (caller, idempotency_key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status_code = NULL, response_headers = NULL, response_body = NULL,
             created_at = now(), completed_at = NULL
         WHERE stored.created_at < now() - interval '${IDEMPOTENCY_WINDOW_HOURS} hours'
       RETURNING caller`,
      [caller, key, hash],
    );
    if (claimed.length === 0)
      return this.replay(await repository.findOneByOrFail({ caller, key }), hash, response);

    try {
      const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = response.getHeader(name);
        if (typeof value === 'string') headers[name] = value;
      }
      await repository.update(
        { caller, key },
        {
          statusCode: response.statusCode,
          responseHeaders: headers,
          responseBody: body ?? null,
          completedAt: new Date(),
        },
      );
      return body;
    } catch (error) {
      await repository.delete({ caller, key });
      throw error;
    }
  }

  private replay(record: IdempotencyRecord, hash: string, response: Response): unknown {
    if (record.requestHash !== hash) {
      throw new ProblemException(
        422,
        'idempotency-key-reused',
        'Idempotency-Key reused',
        'This Idempotency-Key was used for a different request; use a new key for a new request.',
      );
    }
    if (!record.completedAt || record.statusCode === null) {
      response.setHeader('Retry-After', '1');
      throw new ProblemException(
        409,
        'request-in-progress',
        'Conflict',
        'The first request with this Idempotency-Key is still being processed.',
      );
    }
    response.status(record.statusCode);
    for (const [name, value] of Object.entries(record.responseHeaders ?? {}))
      response.setHeader(name, value);
    response.setHeader('Idempotency-Replayed', 'true');
    return record.responseBody;
  }
}
