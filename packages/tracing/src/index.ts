export { type Context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
export { SPAN_ATTRIBUTES } from './span-attributes';
export { startTracing, type Tracing, type TracingSettings } from './start-tracing';
export { contextOfCarrier, type TraceCarrier, traceCarrierOf } from './trace-carrier';
