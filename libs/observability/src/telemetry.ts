import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  NoopSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

let sdk: NodeSDK | undefined;
let serviceName = process.env.OTEL_SERVICE_NAME ?? 'itsm';

/** The name this process reports in traces and logs. */
export function telemetryServiceName(): string {
  return serviceName;
}

/**
 * Starts OpenTelemetry. Must run before anything loads `@nestjs/*`, `pg`, `kafkajs` or
 * `pino`, which is why each service's `main.ts` imports its `instrument.ts` first.
 *
 * The trace context is always created and propagated (logs and events carry trace ids);
 * spans are exported over OTLP/HTTP only when `OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set. Which traces are recorded is
 * `OTEL_TRACES_SAMPLER`'s choice (the SDK's default: `parentbased_always_on`), except that
 * without an exporter and without a sampler named, nothing starts a recorded trace
 * ({@link defaultSampler}).
 */
export function startTelemetry(service: string): void {
  serviceName = process.env.OTEL_SERVICE_NAME ?? `itsm-${service}`;
  if (sdk || process.env.OTEL_SDK_DISABLED === 'true') return;
  // Metrics are Prometheus' (/metrics) and logs pino's: the SDK's own OTLP metrics and logs
  // exporters would only wait, at every shutdown, for a collector nobody configured.
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  const exporting = Boolean(
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  );
  // Without an exporter a processor is still needed: with none, the SDK installs no tracer
  // provider and every span would be a non-recording one with an all-zero trace id.
  const spanProcessors: SpanProcessor[] = [
    exporting ? new BatchSpanProcessor(new OTLPTraceExporter()) : new NoopSpanProcessor(),
  ];
  sdk = new NodeSDK({
    sampler: defaultSampler(exporting),
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: serviceName,
      [ATTR_SERVICE_VERSION]: process.env.npm_package_version ?? '0.1.0',
    }),
    spanProcessors,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => /^\/(health|metrics)/.test(request.url ?? ''),
      }),
      new ExpressInstrumentation(),
      new UndiciInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
      new PinoInstrumentation(),
    ],
  });
  sdk.start();
}

/**
 * The sampler when `OTEL_TRACES_SAMPLER` names none: the SDK's (`parentbased_always_on`)
 * when spans are exported; without an exporter, parent-based with nothing sampled at the
 * root. Recording a span nobody exports only costs CPU (its attributes, events and timing
 * are built, then dropped), while an unsampled span still has its trace and span ids: logs
 * and events carry them and the context propagates to Kafka and to other services exactly as
 * before, with the sampled flag off. A caller that sampled its trace is still followed.
 */
export function defaultSampler(
  exporting: boolean,
  environment: NodeJS.ProcessEnv = process.env,
): Sampler | undefined {
  if (exporting || environment.OTEL_TRACES_SAMPLER) return undefined;
  return new ParentBasedSampler({ root: new AlwaysOffSampler() });
}

/** Flushes spans still buffered; called on shutdown so the last request's trace is not lost. */
export async function shutdownTelemetry(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}
