import { Logger } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { CALLER_HEADER, type ServiceIdentitySigner } from '@itsm/auth';
import { metricsRegistry } from '@itsm/observability';
import { type ProblemDocument } from '../errors/problem';

/** A read that could not be made now (the service called is down, slow or failing): the caller carries on without it. */
export interface Degraded {
  degraded: true;
  /** What went wrong, for the caller to keep or show (`cmdb did not answer within 2000 ms`). */
  reason: string;
}

/** The answer of the service called, or why there is none this time. */
export type ServiceRead<T> = { degraded: false; value: T } | Degraded;

export function degraded(reason: string): Degraded {
  return { degraded: true, reason };
}

/**
 * The service called refused the request (a 4xx other than 429): the request is wrong, or
 * the caller is not trusted or not permitted there. Unlike an outage, waiting does not
 * mend it, so it is thrown rather than read as a degraded answer.
 */
export class ServiceCallRefused extends Error {
  constructor(
    readonly callee: string,
    readonly status: number,
    readonly request: { method: string; target: string },
    readonly problem: ProblemDocument | undefined,
  ) {
    super(
      `${request.method} ${request.target} at the ${callee} service answered ${status}${
        problem?.detail ? `: ${problem.detail}` : problem?.title ? `: ${problem.title}` : ''
      }`,
    );
    this.name = 'ServiceCallRefused';
  }
}

export interface ServiceClientOptions {
  /** The service called: the audience of every identity this client signs. */
  callee: string;
  /** Where the service called listens, e.g. `http://127.0.0.1:3005` (an origin: paths are absolute). */
  baseUrl: string;
  /** How long one request may take, its answer read in full included. */
  timeoutMs: number;
  /** Signs the calling service's own identity (ADR 12). */
  signer: ServiceIdentitySigner;
}

export interface ServiceRequestOptions<T> {
  /** Checks the answer's shape and types it; an answer it refuses (throws) is a degraded read. */
  parse?: (body: unknown) => T;
  /** Abandons the request early beside the client's own timeout: one deadline for several requests, say. */
  signal?: AbortSignal;
}

const requestDuration = new Histogram({
  name: 'itsm_service_client_request_duration_seconds',
  help: 'Synchronous reads of another service (ADR 12), by service called and outcome (ok, degraded, refused).',
  labelNames: ['callee', 'outcome'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

const CONNECTION_FAILURES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
];

/**
 * One service reading another synchronously, as itself (ADR 12): each request carries a
 * fresh identity signed for the service called and for that very request (method, path and
 * query), has a deadline, sends and reads JSON. An outage (no connection, no answer in time,
 * a 5xx or 429, an answer that is not what was expected) is a degraded read, never an
 * exception, so that the caller carries on without it; a refusal (another 4xx) is thrown as
 * {@link ServiceCallRefused}. The outgoing request is traced by the HTTP client
 * instrumentation, which also carries the trace context to the service called.
 */
export class ServiceClient {
  private readonly logger = new Logger(ServiceClient.name);

  constructor(private readonly options: ServiceClientOptions) {
    if (!/^https?:$/.test(new URL(options.baseUrl).protocol))
      throw new Error(`${options.baseUrl} is not an http(s) URL`);
  }

  get callee(): string {
    return this.options.callee;
  }

  get<T>(path: string, options: ServiceRequestOptions<T> = {}): Promise<ServiceRead<T>> {
    return this.request('GET', path, undefined, options);
  }

  post<T>(
    path: string,
    body: unknown,
    options: ServiceRequestOptions<T> = {},
  ): Promise<ServiceRead<T>> {
    return this.request('POST', path, body, options);
  }

  private async request<T>(
    method: string,
    path: string,
    body: unknown,
    options: ServiceRequestOptions<T>,
  ): Promise<ServiceRead<T>> {
    const { callee, timeoutMs, signer } = this.options;
    const url = new URL(path, this.options.baseUrl);
    // What the service called compares the identity with: the request line's path and query.
    const target = `${url.pathname}${url.search}`;
    const stop = requestDuration.startTimer({ callee });
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    let status: number;
    let text: string;
    try {
      const identity = await signer.sign({ service: callee, method, target });
      const response = await fetch(url, {
        method,
        headers: {
          [CALLER_HEADER]: identity,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        redirect: 'manual',
      });
      status = response.status;
      // Under the same deadline: a service that sends its headers and then stalls is slow too.
      text = await response.text();
    } catch (error) {
      return this.degrade(stop, method, target, failureOf(error, callee, timeout, timeoutMs));
    }
    if (status >= 500 || status === 429)
      return this.degrade(
        stop,
        method,
        target,
        `${callee} answered ${status}${detailOf(problemOf(text))}`,
      );
    if (status < 200 || status >= 300) {
      stop({ outcome: 'refused' });
      throw new ServiceCallRefused(callee, status, { method, target }, problemOf(text));
    }
    let value: T;
    try {
      const json: unknown = text === '' ? undefined : JSON.parse(text);
      value = options.parse ? options.parse(json) : (json as T);
    } catch (error) {
      return this.degrade(
        stop,
        method,
        target,
        `${callee} answered something unexpected: ${(error as Error).message}`,
      );
    }
    stop({ outcome: 'ok' });
    return { degraded: false, value };
  }

  private degrade(
    stop: (labels: { outcome: string }) => void,
    method: string,
    target: string,
    reason: string,
  ): Degraded {
    stop({ outcome: 'degraded' });
    this.logger.warn(`${method} ${target}: ${reason}; carrying on without it`);
    return degraded(reason);
  }
}

function failureOf(
  error: unknown,
  callee: string,
  timeout: AbortSignal,
  timeoutMs: number,
): string {
  if (timeout.aborted) return `${callee} did not answer within ${timeoutMs} ms`;
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return `${callee} did not answer before the caller's deadline`;
  const code = (error as { cause?: { code?: string } }).cause?.code ?? '';
  if (CONNECTION_FAILURES.includes(code)) return `${callee} is not reachable (${code})`;
  return `${callee} failed to answer: ${(error as Error).message}`;
}

function problemOf(text: string): ProblemDocument | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as ProblemDocument) : undefined;
  } catch {
    return undefined;
  }
}

function detailOf(problem: ProblemDocument | undefined): string {
  const detail = problem?.detail ?? problem?.title;
  return detail ? ` (${detail})` : '';
}
