import { randomUUID } from 'node:crypto';
import { type IncomingMessage } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { telemetryServiceName } from '../telemetry';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Structured JSON logs on stdout. The OpenTelemetry pino instrumentation adds `trace_id`
 * and `span_id` to every line written inside a span; each request gets a request id
 * (taken from `X-Request-Id` when the caller sent one).
 */
@Module({
  imports: [
    LoggerModule.forRoot({
      pinoHttp: {
        level: process.env.LOG_LEVEL ?? 'info',
        genReqId: (request: IncomingMessage) => {
          const given = request.headers[REQUEST_ID_HEADER];
          return typeof given === 'string' && given.length > 0 && given.length <= 200
            ? given
            : randomUUID();
        },
        autoLogging: {
          ignore: (request: IncomingMessage) => /^\/(health|metrics)/.test(request.url ?? ''),
        },
        redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
        customProps: () => ({ service: telemetryServiceName() }),
      },
    }),
  ],
})
export class LoggingModule {}
