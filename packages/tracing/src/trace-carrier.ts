import {
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** A span's context as W3C Trace Context carries it: in HTTP headers, or in a job's data. */
export interface TraceCarrier {
  readonly traceparent?: string;
  readonly tracestate?: string;
}

const propagator = new W3CTraceContextPropagator();

/**
 * The fields that make `span` the parent of what a job's processing records, sampled or not (a
 * trace the API's sampler dropped is dropped by the worker's too); none for a span without a
 * valid context.
 */
export function traceCarrierOf(span: Span): TraceCarrier {
  if (!isSpanContextValid(span.spanContext())) return {};
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
  return carrier;
}

/**
 * The context a carrier names (a job's data, or an HTTP request's headers, whose names Node
 * gives in lower case): the root context when it has no valid `traceparent`.
 */
export function contextOfCarrier(carrier: TraceCarrier | Readonly<Record<string, unknown>>): Context {
  if (typeof (carrier as TraceCarrier).traceparent !== 'string') return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}
