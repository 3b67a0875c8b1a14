import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';

export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
}

/** The W3C trace context of the operation running now (empty when tracing is off). */
export function currentTraceHeaders(): TraceHeaders {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const headers: TraceHeaders = {};
  if (carrier.traceparent) headers.traceparent = carrier.traceparent;
  if (carrier.tracestate) headers.tracestate = carrier.tracestate;
  return headers;
}

/** A context whose parent is the operation that wrote an event, so work done for it joins that trace. */
export function contextFromTraceHeaders(headers: TraceHeaders): Context {
  if (!headers.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers);
}
