import { type Readable } from 'node:stream';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Agent, request as send, type Dispatcher } from 'undici';
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

const CONNECTION_FAILURES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
];

function isConnectionFailure(error: unknown): boolean {
  const failure = error as { code?: string; cause?: { code?: string } };
  return CONNECTION_FAILURES.includes(failure.code ?? failure.cause?.code ?? '');
}

/** Answers that carry no body whatever the headers say (RFC 9110 §6.4.1). */
function hasNoBody(method: string, status: number): boolean {
  return method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Forwards a request to the service that owns it, with a deadline for its answer to
 * start. A service that is down or too slow becomes a 502/503/504 problem, never a
 * hanging request. The body is not read here: it streams to the client at the client's
 * pace, which no deadline can bound (a CSV export of a million rows).
 */
@Injectable()
export class UpstreamForwarder implements OnModuleDestroy {
  /**
   * undici's own request API on a keep-alive pool per service origin, rather than fetch():
   * the same client Node's fetch is built on, without the WHATWG Request/Response/stream
   * layers (and their conversion back to a Node stream), which cost the gateway more CPU per
   * request than the forwarding itself. The OpenTelemetry undici instrumentation sees these
   * requests as it saw fetch's (a client span, `traceparent` on the request).
   */
  private readonly agent = new Agent({ keepAliveTimeout: 4_000 });

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly identity: InternalIdentitySigner,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }

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
    let response: Dispatcher.ResponseData;
    try {
      // No redirect is followed (undici's request never does): a 3xx goes back as it is.
      response = await send(url, {
        method: request.method,
        headers,
        body: hasBody ? JSON.stringify(request.body) : undefined,
        signal: deadline.signal,
        dispatcher: this.agent,
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
      const value = headerValue(response.headers[name]);
      if (value) returned[name] = value;
    }
    if (hasNoBody(request.method, response.statusCode)) {
      await response.body.dump();
      return { status: response.statusCode, headers: returned, body: null };
    }
    return { status: response.statusCode, headers: returned, body: response.body };
  }
}
