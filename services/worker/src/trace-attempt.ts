import type { SmsJobData } from '@sms/contracts';
import type { KaaraiOutcome } from '@sms/kaarai-client';
import {
  type Context,
  contextOfCarrier,
  SPAN_ATTRIBUTES,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@sms/tracing';
import type { Job } from 'bullmq';

/** Outcomes of an attempt that end it without a failure of its own: the job is left, or waits. */
const NOT_FAILURES: ReadonlySet<string> = new Set(['left', 'gate_wait']);

/**
 * One attempt's `process` span, and what the processor tells it: its outcome, and its call to
 * Kaarai as a child `kaarai send` span.
 */
export class AttemptTrace {
  /** What the attempt came to: the `outcome` of `sms_provider_answers_total`, or why it made no call. */
  outcome = 'error';

  constructor(
    private readonly tracer: Tracer,
    private readonly context: Context,
  ) {}

  /** Runs one call to Kaarai in a client span that ends with its HTTP status and Kaarai's code. */
  async kaaraiSend(send: () => Promise<KaaraiOutcome>): Promise<KaaraiOutcome> {
    const span = this.tracer.startSpan('kaarai send', { kind: SpanKind.CLIENT }, this.context);
    try {
      const outcome = await send();
      span.setAttribute(SPAN_ATTRIBUTES.kaaraiAction, outcome.action);
      if (outcome.type === 'answered') {
        span.setAttributes({
          [SPAN_ATTRIBUTES.httpStatusCode]: outcome.httpStatus,
          [SPAN_ATTRIBUTES.kaaraiCode]: outcome.code,
        });
      } else {
        span.setAttribute(SPAN_ATTRIBUTES.errorType, outcome.reason);
      }
      if (outcome.action !== 'succeed')
        span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.message });
      return outcome;
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  }
}

/**
 * Runs one attempt at a send job in a consumer span whose parent is the API's `enqueue` span,
 * named in the job's data (`traceparent`): every attempt, retries included, joins the trace of
 * the request that accepted the message.
 */
export async function traceAttempt<T>(
  tracer: Tracer,
  job: Job<SmsJobData>,
  run: (attempt: AttemptTrace) => Promise<T>,
): Promise<T> {
  const span = tracer.startSpan(
    'process',
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [SPAN_ATTRIBUTES.messageId]: job.id ?? '',
        [SPAN_ATTRIBUTES.attempt]: job.attemptsMade + 1,
      },
    },
    contextOfCarrier(job.data),
  );
  const attempt = new AttemptTrace(tracer, trace.setSpan(contextOfCarrier({}), span));
  try {
    return await run(attempt);
  } catch (error) {
    if (!NOT_FAILURES.has(attempt.outcome)) failed(span, error);
    throw error;
  } finally {
    span.setAttribute(SPAN_ATTRIBUTES.outcome, attempt.outcome).end();
  }
}

function failed(span: Span, error: unknown): void {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  span.setAttribute(SPAN_ATTRIBUTES.errorType, name);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
