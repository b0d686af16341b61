export { type ApiMetrics, createApiMetrics } from './api-metrics';
export {
  ARCHIVE_FAILURE_STAGES,
  ARCHIVE_OUTCOMES,
  type ArchiverMetrics,
  createArchiverMetrics,
} from './archiver-metrics';
export {
  API_REQUEST_BUCKETS,
  DELIVERY_ATTEMPT_BUCKETS,
  DELIVERY_LATENCY_BUCKETS,
  PROVIDER_CALL_BUCKETS,
  REDIS_COMMAND_BUCKETS,
} from './buckets';
export { metricsHandler } from './metrics-handler';
export {
  createQueueStateMetrics,
  type ObservedArchiveBacklog,
  type ObservedGivenUpCallbacks,
  type ObservedQueueState,
  type QueueStateMetrics,
  recordArchiveBacklog,
  recordGivenUpCallbacks,
  recordQueueState,
} from './queue-state-metrics';
export {
  createRedisHealthMetrics,
  type GatewayService,
  measureRedis,
  type PingableRedis,
  type RedisHealthMetrics,
} from './redis-health-metrics';
export { createStatusServer, listenOn, type StatusServerDeps } from './status-server';
export { createWorkerMetrics, type WorkerMetrics } from './worker-metrics';
