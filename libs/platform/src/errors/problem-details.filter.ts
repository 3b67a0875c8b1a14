import { trace } from '@opentelemetry/api';
import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { type Request, type Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { PermissionDenied } from '@itsm/auth';
import { isDatabaseUnavailable } from '@itsm/persistence';
import {
  PROBLEM_CONTENT_TYPE,
  ProblemException,
  problemType,
  type ProblemDocument,
} from './problem';

function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) return exception.getStatus();
  // Errors raised by Express middleware (body parser: bad JSON, too large, wrong charset) carry their status.
  const status =
    (exception as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600
    ? status
    : HttpStatus.INTERNAL_SERVER_ERROR;
}

function detailOf(exception: unknown, status: number): string | undefined {
  if (status >= 500) return undefined; // never leak internals
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message =
      (response as { detail?: unknown; message?: unknown }).detail ??
      (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : undefined;
  }
  return exception instanceof Error ? exception.message : undefined;
}

/** What a 503 for an unreachable database suggests: about what a PostgreSQL restart or fail-over takes. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The database away (down, restarting, full, too slow) is no fault of the request or the
 * code: a 503 the client may retry, not a 500, and the same for every route.
 */
const DATABASE_UNAVAILABLE = new ProblemException(
  503,
  'database-unavailable',
  'Service Unavailable',
  'The service cannot reach its database right now; try again shortly.',
);

/** An error with a problem type of its own that is raised below the platform (libs/auth). */
function withProblemType(raised: unknown): unknown {
  if (raised instanceof PermissionDenied)
    return new ProblemException(403, 'forbidden', 'Forbidden', raised.message, {
      requiredPermission: raised.permission,
    });
  return raised;
}

/**
 * Renders every error of every HTTP route, the framework's own included, as RFC 9457
 * `application/problem+json` carrying the trace id, so a caller can quote it to support.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(raised: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw raised;
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: unknown }>();
    const response = http.getResponse<Response>();
    const databaseUnavailable = !(raised instanceof HttpException) && isDatabaseUnavailable(raised);
    if (databaseUnavailable) {
      this.logger.warn(
        `${request.method} ${request.originalUrl ?? request.url}: database unavailable (${raised instanceof Error ? raised.message : String(raised)})`,
      );
    }
    const exception = databaseUnavailable ? DATABASE_UNAVAILABLE : withProblemType(raised);
    const status = statusOf(exception);
    const traceId = trace.getActiveSpan()?.spanContext().traceId;

    const problem: ProblemDocument =
      exception instanceof ProblemException
        ? {
            type: problemType(exception.slug),
            title: exception.title,
            status,
            ...(exception.detail ? { detail: exception.detail } : {}),
            ...exception.extensions,
          }
        : {
            type: 'about:blank',
            title: STATUS_CODES[status] ?? 'Error',
            status,
            ...(detailOf(exception, status) ? { detail: detailOf(exception, status) } : {}),
          };
    problem.instance = request.originalUrl ?? request.url;
    if (traceId) problem.traceId = traceId;
    if (typeof request.id === 'string') problem.requestId = request.id;

    if (status >= 500 && !databaseUnavailable) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    }
    if (response.headersSent) return;
    if (databaseUnavailable)
      response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    response.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}
