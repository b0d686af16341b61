import { Counter, type Registry } from 'prom-client';

/** Shared by the API (cancellations) and the worker (every other status): both queue callbacks. */
export function callbackEnqueueFailures(registry: Registry) {
  return new Counter({
    name: 'sms_callback_enqueue_failures_total',
    help: 'Status callbacks that could not be queued in time (Redis slow or away); the message went on without them.',
    labelNames: ['client'] as const,
    registers: [registry],
  });
}
