import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { API_REQUEST_BUCKETS } from './buckets';
import { callbackEnqueueFailures } from './callback-enqueue-failures';
import { createQueueStateMetrics } from './queue-state-metrics';
import { createRedisHealthMetrics } from './redis-health-metrics';

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/** The API process's registry: its own metrics plus Node's default process metrics. */
export function createApiMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    queueState: createQueueStateMetrics(registry),
    requests: new Counter({
      name: 'sms_api_requests_total',
      help: 'HTTP requests answered by the API, by route, HTTP status, gateway code and client.',
      labelNames: ['route', 'status', 'code', 'client'] as const,
      registers: [registry],
    }),
    accepted: new Counter({
      name: 'sms_api_messages_accepted_total',
      help: 'Messages accepted (202) and enqueued, by client and priority (high, normal, bulk).',
      labelNames: ['client', 'priority'] as const,
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'sms_api_messages_rejected_total',
      help: 'Send requests refused, by gateway code and client.',
      labelNames: ['code', 'client'] as const,
      registers: [registry],
    }),
    quotaRefusals: new Counter({
      name: 'sms_api_quota_refusals_total',
      help: 'Requests refused (429) for a client quota, by client and limit (requests_per_second, messages_per_day).',
      labelNames: ['client', 'limit'] as const,
      registers: [registry],
    }),
    quotaCheckFailures: new Counter({
      name: 'sms_api_quota_check_failures_total',
      help: 'Quota checks that failed (Redis unavailable or slow) and let the request through unchecked.',
      registers: [registry],
    }),
    lateEnqueues: new Counter({
      name: 'sms_api_late_enqueues_total',
      help: 'Enqueues answered 503 because Redis had not answered within ENQUEUE_TIMEOUT_MS, by what Redis did once it answered: refused (past their deadline, nothing stored), stored (a 503 whose message will be sent), failed (an error).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    callbackEnqueueFailures: callbackEnqueueFailures(registry),
    redis: createRedisHealthMetrics(registry, 'api'),
    duration: new Histogram({
      name: 'sms_api_request_duration_seconds',
      help: 'Time to answer an API request, by route.',
      labelNames: ['route'] as const,
      buckets: API_REQUEST_BUCKETS,
      registers: [registry],
    }),
  };
}
