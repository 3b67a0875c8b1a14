import { type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { InboxServerFactory } from '@itsm/messaging';
import { MetricsServer } from '@itsm/observability';
import { type ServiceConfig } from '../config/service-config';
import { createValidationPipe } from '../errors/validation';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { answerClientErrorsAsProblems } from '../http/client-errors';
import { requireJsonBodies } from '../http/content-type.middleware';
import { answerUnservedMethods } from '../http/method-not-allowed.middleware';
import { RefuseNulCharactersPipe } from '../http/refuse-nul-characters.pipe';
import { serveOpenApiDocument } from '../openapi/service-openapi';
import { SERVICE_CONFIG } from '../platform.module';

export interface BootstrapOptions {
  /** Start the Kafka inbox transport for the module's `@EventPattern` handlers. */
  consumesEvents: boolean;
}

/** Applies the conventions every HTTP surface follows (errors, validation, body limit). */
export function applyHttpConventions(app: NestExpressApplication, config: ServiceConfig): void {
  app.disable('x-powered-by');
  // The headers a security review expects on every answer (nosniff, frame denial, a strict
  // content security policy for the API reference page, HSTS behind TLS), from helmet's
  // maintained defaults rather than a hand-kept list.
  app.use(helmet());
  // So that request.ip is the client's behind a load balancer, not the balancer's.
  app.set('trust proxy', config.env.TRUST_PROXY);
  // Entity tags come from record versions, not from hashing whatever body went out.
  app.set('etag', false);
  app.use(requireJsonBodies);
  if (config.env.CORS_ORIGINS.length > 0) {
    app.enableCors({
      origin: config.env.CORS_ORIGINS,
      exposedHeaders: ['Location', 'ETag', 'Retry-After', 'Idempotency-Replayed'],
    });
  }
  // After CORS, whose preflight is an OPTIONS request no route serves.
  answerUnservedMethods(app);
  app.useBodyParser('json', {
    limit: config.env.HTTP_BODY_LIMIT,
    type: ['application/json', 'application/*+json'],
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(new RefuseNulCharactersPipe(), createValidationPipe());
}

/** Boots a service: HTTP, the inbox consumer when it has handlers, graceful shutdown on SIGTERM/SIGINT. */
export async function bootstrapService(
  module: Type<unknown>,
  options: BootstrapOptions,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bufferLogs: true,
    bodyParser: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  const config = app.get<ServiceConfig>(SERVICE_CONFIG);
  applyHttpConventions(app, config);
  // On SIGTERM (Kubernetes stopping the pod) or SIGINT, the modules' shutdown hooks run (the
  // relay finishes its batch, the consumer leaves its group, the HTTP server closes), then
  // the process exits 0. Nest's default, re-raising the signal, is ignored by a container's
  // PID 1, which then runs on until the grace period's SIGKILL.
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => logger.log(`${signal} received: shutting down`, 'Bootstrap'));
  process.once('exit', (code) => logger.log(`shut down (exit code ${code})`, 'Bootstrap'));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  if (options.consumesEvents) {
    app.connectMicroservice({ strategy: app.get(InboxServerFactory).create() });
    await app.startAllMicroservices();
  }
  serveOpenApiDocument(app, config);
  // Before the API: once the service answers as ready, it can be scraped too.
  if (config.metricsPort !== undefined) {
    await app.get(MetricsServer).listen(config.metricsPort, config.env.HTTP_HOST);
    logger.log(`metrics on ${config.env.HTTP_HOST}:${config.metricsPort}/metrics`, 'Bootstrap');
  }
  answerClientErrorsAsProblems(app.getHttpServer());
  await app.listen(config.port, config.env.HTTP_HOST);
  logger.log(
    `${config.serviceName} listening on ${config.env.HTTP_HOST}:${config.port} (${config.mode} mode)`,
    'Bootstrap',
  );
  return app;
}
