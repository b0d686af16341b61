import {
  type Context,
  contextOfCarrier,
  SPAN_ATTRIBUTES,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@sms/tracing';
import type { NextFunction, Request, Response } from 'express';

/** What the request's handlers tell its span, in `res.locals`. */
export interface TracedLocals {
  /** The request's span, parent of the enqueue's (`MessageToAccept.trace`). */
  trace?: Context;
  /** The ids of the messages the request accepted. */
  messageIds?: readonly string[];
  client: string;
  code: number;
}

/**
 * A server span per request on `route`, the child of the caller's span when the request carries
 * a W3C `traceparent` header. It ends when the response is done (or the connection closed),
 * with the status code, the gateway's code, the client and the message ids.
 */
export function traceRequest(tracer: Tracer, route: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const span = tracer.startSpan(
      `${req.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { [SPAN_ATTRIBUTES.httpMethod]: req.method, [SPAN_ATTRIBUTES.httpRoute]: route },
      },
      contextOfCarrier(req.headers),
    );
    const locals = res.locals as TracedLocals;
    locals.trace = trace.setSpan(contextOfCarrier({}), span);
    res.once('close', () => {
      span.setAttributes({
        [SPAN_ATTRIBUTES.httpStatusCode]: res.statusCode,
        [SPAN_ATTRIBUTES.client]: locals.client,
        [SPAN_ATTRIBUTES.code]: locals.code,
      });
      if (locals.messageIds?.length) span.setAttribute(SPAN_ATTRIBUTES.messageId, [...locals.messageIds]);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    next();
  };
}
