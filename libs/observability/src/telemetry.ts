import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  detectResources,
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

let provider: BasicTracerProvider | undefined;
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
 *
 * The tracer provider, context manager and propagators are set up here rather than by
 * `@opentelemetry/sdk-node`'s NodeSDK: that package loads every exporter it can be
 * configured with (OTLP over gRPC, protobuf and HTTP for traces, metrics and logs, Zipkin,
 * Prometheus, the B3 and Jaeger propagators, the metrics and logs SDKs, a JSON-schema
 * validator for its configuration file), some 2,000 modules and 40 MiB of memory per process,
 * of which the platform uses the OTLP/HTTP trace exporter alone (docs/performance.md, Memory).
 */
export function startTelemetry(service: string): void {
  serviceName = process.env.OTEL_SERVICE_NAME ?? `itsm-${service}`;
  if (provider || process.env.OTEL_SDK_DISABLED === 'true') return;
  const exporting = Boolean(
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  );
  // Without an exporter, no processor: spans still get their trace and span ids (the
  // provider makes them), a sampled one is simply not sent anywhere.
  const spanProcessors: SpanProcessor[] = exporting ? [new BatchSpanProcessor(otlpExporter())] : [];
  const sampler = defaultSampler(exporting);
  // What NodeSDK detected by default (OTEL_RESOURCE_ATTRIBUTES, host, OS, process), under
  // the platform's service name and version.
  const resource = detectResources({
    detectors: [envDetector, hostDetector, osDetector, processDetector],
  }).merge(
    resourceFromAttributes({
      [ATTR_SERVICE_NAME]: serviceName,
      [ATTR_SERVICE_VERSION]: process.env.npm_package_version ?? '0.1.0',
    }),
  );
  // Without a sampler given, the provider reads OTEL_TRACES_SAMPLER (and _ARG) itself.
  provider = new BasicTracerProvider({ resource, spanProcessors, ...(sampler ? { sampler } : {}) });
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  // NodeSDK's default propagators (OTEL_PROPAGATORS unset): W3C trace context and baggage.
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  trace.setGlobalTracerProvider(provider);
  // Each instrumentation patches its module on construction, before the module is loaded
  // (hence this runs first in main.ts), and makes its spans with this provider.
  const instrumentations = [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => /^\/(health|metrics)/.test(request.url ?? ''),
    }),
    new ExpressInstrumentation(),
    new UndiciInstrumentation(),
    new PgInstrumentation({ requireParentSpan: true }),
    new KafkaJsInstrumentation(),
    new PinoInstrumentation(),
  ];
  for (const instrumentation of instrumentations) instrumentation.setTracerProvider(provider);
}

/**
 * The OTLP/HTTP exporter, loaded only when spans are exported: it brings the OTLP encoders
 * and the metrics SDK's types (some 130 modules), which a process that exports nothing would
 * only hold in memory.
 */
function otlpExporter(): OtlpHttp.OTLPTraceExporter {
  /* eslint-disable @typescript-eslint/no-require-imports -- a static import would load it in every process */
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return new OTLPTraceExporter();
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
  await provider?.shutdown();
  provider = undefined;
}
