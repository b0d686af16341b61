import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { samplerOf } from './sampler-of';
import { contextOfCarrier, traceCarrierOf } from './trace-carrier';

const tracerWith = (sampler: Parameters<typeof samplerOf>[0], ratio = 1) =>
  new TracerProvider({ sampler: samplerOf(sampler, ratio) }).getTracer('test');

it("carries a span's context in traceparent, and the span read back from it is its child", () => {
  const tracer = tracerWith('parentbased_always_on');
  const parent = tracer.startSpan('enqueue');
  const carrier = traceCarrierOf(parent);
  const { traceId, spanId } = parent.spanContext();
  expect(carrier).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });

  const child = tracer.startSpan('process', {}, contextOfCarrier({ ...carrier, to: '573001234567' }));
  expect(child.spanContext().traceId).toBe(traceId);
  expect((child as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId).toBe(
    spanId,
  );
});

it('reads no parent from data without a valid traceparent', () => {
  expect(contextOfCarrier({ to: '573001234567' })).toBe(ROOT_CONTEXT);
  expect(trace.getSpanContext(contextOfCarrier({ traceparent: 'not-a-traceparent' }))).toBeUndefined();
});

it("carries a dropped trace's context too, so that the worker drops its spans as well", () => {
  const dropped = tracerWith('parentbased_traceidratio', 0).startSpan('enqueue');
  expect(dropped.isRecording()).toBe(false);
  const carrier = traceCarrierOf(dropped);
  expect(carrier.traceparent).toMatch(/-00$/);
  const worker = tracerWith('parentbased_always_on');
  expect(worker.startSpan('process', {}, contextOfCarrier(carrier)).isRecording()).toBe(false);
});

it('carries nothing for a span of the no-op tracer, which tracing off would use', () => {
  expect(traceCarrierOf(trace.getTracer('off').startSpan('enqueue'))).toEqual({});
});
