import {
  type Context,
  SPAN_ATTRIBUTES,
  SpanKind,
  SpanStatusCode,
  type TraceCarrier,
  type Tracer,
  traceCarrierOf,
} from '@sms/tracing';
import type { ApiError } from './api-error';

/** The span of one enqueue (a message, or a batch's messages), and the context its jobs carry. */
export interface EnqueueSpan {
  /** The `traceparent` (and `tracestate`) of every job the enqueue adds. */
  readonly carrier: TraceCarrier;
  accepted(ids: string | readonly string[]): void;
  failed(failure: ApiError): void;
}

const UNTRACED: EnqueueSpan = { carrier: {}, accepted: () => {}, failed: () => {} };

/**
 * Starts the `enqueue` span of `client`'s message(s), the child of the request's span (`parent`),
 * so that every attempt at their jobs joins the request's trace; without a tracer, nothing.
 */
export function startEnqueueSpan(tracer: Tracer | undefined, client: string, parent?: Context): EnqueueSpan {
  if (tracer === undefined) return UNTRACED;
  const span = tracer.startSpan(
    'enqueue',
    { kind: SpanKind.PRODUCER, attributes: { [SPAN_ATTRIBUTES.client]: client } },
    parent,
  );
  return {
    carrier: traceCarrierOf(span),
    accepted: (ids) => {
      span.setAttribute(SPAN_ATTRIBUTES.messageId, typeof ids === 'string' ? ids : [...ids]).end();
    },
    failed: (failure) => {
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      span.setAttribute(SPAN_ATTRIBUTES.code, failure.code).end();
    },
  };
}
