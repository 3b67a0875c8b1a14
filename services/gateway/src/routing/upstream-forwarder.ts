import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { CALLER_HEADER, InternalIdentitySigner, type Caller } from '@itsm/auth';
import { ProblemException } from '@itsm/platform';
import { REQUEST_ID_HEADER } from '@itsm/observability';
import {
  GATEWAY_CONFIG,
  upstreamUrl,
  type GatewayConfig,
  type UpstreamService,
} from '../config/gateway.config';

export interface ForwardedRequest {
  method: string;
  /** Path and query string, e.g. `/api/v1/incidents?limit=10`. */
  url: string;
  headers: Record<string, string | undefined>;
  body: unknown;
  requestId?: string;
  caller: Caller;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as the service sends it, to be streamed on (a CSV export can be gigabytes). */
  body: Readable | null;
}

/** Request headers worth passing on; everything else (cookies, hop-by-hop, the bearer token) stays at the gateway. */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'content-type',
  'if-match',
  'if-none-match',
  'idempotency-key',
];
const RETURNED_RESPONSE_HEADERS = [
  'content-type',
  'location',
  'etag',
  'retry-after',
  'link',
  'allow',
  'content-disposition',
  'idempotency-replayed',
];

function isConnectionFailure(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'UND_ERR_SOCKET'].includes(
    cause?.code ?? '',
  );
}

/**
 * Forwards a request to the service that owns it, with a deadline for its answer to
 * start. A service that is down or too slow becomes a 502/503/504 problem, never a
 * hanging request. The body is not read here: it streams to the client at the client's
 * pace, which no deadline can bound (a CSV export of a million rows).
 */
@Injectable()
export class UpstreamForwarder {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly identity: InternalIdentitySigner,
  ) {}

  async forward(service: UpstreamService, request: ForwardedRequest): Promise<UpstreamResponse> {
    const url = new URL(request.url, upstreamUrl(this.config, service));
    // Bound to the request line exactly as sent (URL-normalised), which is what the service compares.
    const headers: Record<string, string> = {
      [CALLER_HEADER]: await this.identity.sign(request.caller, {
        service,
        method: request.method,
        target: `${url.pathname}${url.search}`,
      }),
    };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (value) headers[name] = value;
    }
    if (request.requestId) headers[REQUEST_ID_HEADER] = request.requestId;
    const hasBody =
      !['GET', 'HEAD', 'DELETE'].includes(request.method) && request.body !== undefined;
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException('the upstream deadline passed', 'TimeoutError')),
      this.config.UPSTREAM_TIMEOUT_MS,
    );
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        headers,
        body: hasBody ? JSON.stringify(request.body) : undefined,
        signal: deadline.signal,
        redirect: 'manual',
      });
    } catch (error) {
      if ((error as { name?: string }).name === 'TimeoutError') {
        throw new ProblemException(
          504,
          'upstream-timeout',
          'Gateway Timeout',
          `The ${service} service did not answer in time.`,
        );
      }
      if (isConnectionFailure(error)) {
        throw new ProblemException(
          503,
          'upstream-unavailable',
          'Service Unavailable',
          `The ${service} service is not reachable.`,
        );
      }
      throw new ProblemException(
        502,
        'upstream-failure',
        'Bad Gateway',
        `The ${service} service failed to answer.`,
      );
    } finally {
      clearTimeout(timer);
    }
    const returned: Record<string, string> = {};
    for (const name of RETURNED_RESPONSE_HEADERS) {
      const value = response.headers.get(name);
      if (value) returned[name] = value;
    }
    const body = response.body ? Readable.fromWeb(response.body) : null;
    return { status: response.status, headers: returned, body };
  }
}
