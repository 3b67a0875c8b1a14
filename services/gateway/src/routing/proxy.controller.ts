import { pipeline } from 'node:stream';
import { All, Controller, Logger, Req, Res } from '@nestjs/common';
import { type Request, type Response } from 'express';
import { assertPermitted, type RequestWithCaller } from '@itsm/auth';
import { ProblemException } from '@itsm/platform';
import { ApiReferenceService } from '../reference/api-reference.service';
import { PROXIED_PATHS, resolveRoute } from './route-table';
import { UpstreamForwarder } from './upstream-forwarder';

/** Listeners per event a proxied response may hold before Node warns (its default is 10). */
const PROXIED_RESPONSE_MAX_LISTENERS = 20;

/**
 * The public API families that live in other services: authenticated by the global guard,
 * authorised here from the route table, then forwarded to their owner.
 */
@Controller()
export class ProxyController {
  private readonly logger = new Logger(ProxyController.name);

  constructor(
    private readonly forwarder: UpstreamForwarder,
    private readonly reference: ApiReferenceService,
  ) {}

  @All(PROXIED_PATHS)
  async forward(
    @Req() request: Request & RequestWithCaller & { id?: unknown },
    @Res() response: Response,
  ): Promise<void> {
    const route = resolveRoute(request.method, request.path);
    if (route.kind === 'unknown') {
      throw new ProblemException(
        404,
        'not-found',
        'Not Found',
        `Cannot ${request.method} ${request.path}`,
      );
    }
    if (route.kind === 'method-not-allowed') {
      // The route table knows a family's permissions, the document each path's methods.
      const allowed =
        (await this.reference.documentedMethods(request.path, route.family.service)) ??
        route.allowed;
      if (allowed.length === 0) {
        throw new ProblemException(
          404,
          'not-found',
          'Not Found',
          `Cannot ${request.method} ${request.path}`,
        );
      }
      response.setHeader('Allow', allowed.join(', '));
      throw new ProblemException(
        405,
        'method-not-allowed',
        'Method Not Allowed',
        `${request.path} accepts ${allowed.join(', ')}.`,
      );
    }
    const caller = request.caller;
    if (!caller) throw new Error('the proxy ran without an authenticated caller');
    assertPermitted(caller, route.permission);
    const upstream = await this.forwarder.forward(route.family.service, {
      method: request.method,
      url: request.originalUrl,
      headers: request.headers as Record<string, string | undefined>,
      body: request.body as unknown,
      requestId: typeof request.id === 'string' ? request.id : undefined,
      caller,
    });
    if (response.destroyed) {
      // The client went away while the service answered: nobody to stream to. Not a
      // failure of the platform (pipeline() would throw ERR_STREAM_UNABLE_TO_PIPE).
      // Destroying the body cancels the upstream request, which undici then reports as an
      // error event: expected here, and unheard it would end the process.
      upstream.body?.on('error', () => undefined).destroy();
      return;
    }
    response.status(upstream.status).set(upstream.headers);
    if (!upstream.body) {
      response.end();
      return;
    }
    // A proxied answer is listened to by Express, pino-http, the metrics and tracing
    // middleware (each wrapped by OpenTelemetry's context manager) and then pipeline():
    // 11 `close` listeners on one response, one over Node's default, which printed a
    // MaxListenersExceededWarning (and built its stack trace) on every proxied request.
    // The response lives for one request, so nothing accumulates: a higher bound, not a leak.
    response.setMaxListeners(PROXIED_RESPONSE_MAX_LISTENERS);
    // Streamed, never buffered: backpressure from a slow client reaches the service, and a
    // client that goes away cancels the upstream request. A failure mid-body aborts the
    // response (pipeline destroys it) so that a truncated body cannot pass for whole.
    pipeline(upstream.body, response, (error) => {
      if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE')
        this.logger.warn(`${request.method} ${request.path} broke off: ${error.message}`);
    });
  }
}
