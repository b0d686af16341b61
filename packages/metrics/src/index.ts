export { type ApiMetrics, createApiMetrics } from './api-metrics';
export { API_REQUEST_BUCKETS, PROVIDER_CALL_BUCKETS } from './buckets';
export { metricsHandler } from './metrics-handler';
export { createWorkerMetrics, type WorkerMetrics } from './worker-metrics';
