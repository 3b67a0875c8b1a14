import { ROOT_CONTEXT, SpanKind, TraceFlags, isSpanContextValid, trace } from '@opentelemetry/api';
import { BasicTracerProvider, SamplingDecision, type Sampler } from '@opentelemetry/sdk-trace-base';
import { defaultSampler } from './telemetry';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

function decisionUnder(sampler: Sampler, parentFlags: TraceFlags | undefined): SamplingDecision {
  const context =
    parentFlags === undefined
      ? ROOT_CONTEXT
      : trace.setSpanContext(ROOT_CONTEXT, {
          traceId: TRACE_ID,
          spanId: 'b7ad6b7169203331',
          traceFlags: parentFlags,
          isRemote: true,
        });
  return sampler.shouldSample(context, TRACE_ID, 'GET', SpanKind.SERVER, {}, []).decision;
}

describe('the default sampler', () => {
  it('is the SDK’s (from OTEL_TRACES_SAMPLER, else parent-based always-on) when spans are exported', () => {
    expect(defaultSampler(true, {})).toBeUndefined();
  });

  it('is whatever OTEL_TRACES_SAMPLER names, exporter or not', () => {
    expect(defaultSampler(false, { OTEL_TRACES_SAMPLER: 'always_on' })).toBeUndefined();
  });

  it('without an exporter records no new trace but follows a caller that sampled its own', () => {
    const sampler = defaultSampler(false, {});
    expect(sampler).toBeDefined();
    expect(decisionUnder(sampler!, undefined)).toBe(SamplingDecision.NOT_RECORD);
    expect(decisionUnder(sampler!, TraceFlags.NONE)).toBe(SamplingDecision.NOT_RECORD);
    expect(decisionUnder(sampler!, TraceFlags.SAMPLED)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('still gives an unrecorded span trace and span ids, which logs and events carry', () => {
    const tracer = new BasicTracerProvider({ sampler: defaultSampler(false, {}) }).getTracer('t');
    const root = tracer.startSpan('request');
    expect(root.isRecording()).toBe(false);
    expect(isSpanContextValid(root.spanContext())).toBe(true);
    const child = tracer.startSpan('query', {}, trace.setSpan(ROOT_CONTEXT, root));
    expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(child.spanContext().spanId).not.toBe(root.spanContext().spanId);
  });
});
