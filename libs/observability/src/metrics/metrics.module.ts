import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import {
  Injectable,
  Module,
  type NestMiddleware,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The Prometheus registry of the process; services register their own metrics on it. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const httpDuration = new Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'Duration of HTTP requests served, by method, route and status code.',
  labelNames: ['method', 'route', 'status_code'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

@Injectable()
class HttpMetricsMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const stop = httpDuration.startTimer();
    response.on('finish', () => {
      // The matched route pattern, not the raw path, keeps the label set small.
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ method: request.method, route, status_code: String(response.statusCode) });
    });
    next();
  }
}

/**
 * Prometheus' `/metrics` on a port of its own, not on the API's: what a process counts
 * (routes, volumes, timings) is for the monitoring network, which a Kubernetes
 * ServiceMonitor reaches through the pod's named `metrics` port; the public API never
 * serves it.
 */
@Injectable()
export class MetricsServer implements OnApplicationShutdown {
  private server: Server | undefined;

  async listen(port: number, host: string): Promise<void> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
        return;
      }
      metricsRegistry.metrics().then(
        (body) =>
          response.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(body),
        () => response.writeHead(500).end(),
      );
    });
    server.listen(port, host);
    await once(server, 'listening');
    this.server = server;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

@Module({ providers: [HttpMetricsMiddleware, MetricsServer], exports: [MetricsServer] })
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
