import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { API_REQUEST_BUCKETS } from './buckets';
import { createQueueStateMetrics } from './queue-state-metrics';

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
      help: 'Messages accepted (202) and enqueued, by client.',
      labelNames: ['client'] as const,
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'sms_api_messages_rejected_total',
      help: 'Send requests refused, by gateway code and client.',
      labelNames: ['code', 'client'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'sms_api_request_duration_seconds',
      help: 'Time to answer an API request, by route.',
      labelNames: ['route'] as const,
      buckets: API_REQUEST_BUCKETS,
      registers: [registry],
    }),
  };
}
