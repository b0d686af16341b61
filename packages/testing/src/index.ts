export { type ArchiveTarget, archivePastHotWindow } from './archive-past-hot-window';
export { type ConnectedRedis, connectTestRedis } from './connect-test-redis';
export { deliveryRate, perSecond } from './delivery-rate';
export { dropSyns, type SynDrop, synDropUnavailable } from './drop-syns';
export { countStatuses, finalStatuses, isFinal } from './final-statuses';
export { freePort } from './free-port';
export { mapConcurrently } from './map-concurrently';
export { metricValue } from './metric-value';
export { type PostAnswer, type PostLoad, postAll, postAtRate, postContinuously } from './post-messages';
export { PostgresMissingError, postgresBinDir } from './postgres-binaries';
export { queueDrained } from './queue-drained';
export { type QueueJobCounts, queueJobCounts } from './queue-job-counts';
export { readQueueJob, type StoredJob } from './read-queue-job';
export { readmeEnvRows, schemaEnvRows } from './readme-env-rows';
export { recordedAmong } from './recorded-among';
export { infoFields } from './redis-process';
export { type DeadLetterSeedTarget, seedDeadLetter } from './seed-dead-letter';
export {
  type DeliveryTally,
  SimulatorAdmin,
  SimulatorAdminError,
  type SimulatorFaults,
  type SimulatorFaultUpdate,
  type SimulatorMessage,
  type SimulatorSettings,
  type SimulatorStats,
} from './simulator-admin';
export type { ServiceExit, ServiceProcess, ServiceStop } from './spawn-service';
export {
  type ApiProcess,
  FAULT_TEST_API_KEY,
  type StartApiProcessOptions,
  startApiProcess,
} from './start-api-process';
export {
  type ArchiverProcess,
  type StartArchiverProcessOptions,
  startArchiverProcess,
} from './start-archiver-process';
export { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './start-otlp-receiver';
export { type StartPostgresOptions, startPostgres, type TestPostgres } from './start-postgres';
export {
  type RedisServer,
  type RedisServerOptions,
  startRedis,
  startRedisServer,
  type TestRedis,
} from './start-redis';
export { type RedisCluster, type RedisClusterOptions, startRedisCluster } from './start-redis-cluster';
export { type RedisSentinelOptions, type RedisSentinelSet, startRedisSentinel } from './start-redis-sentinel';
export { type RunningSimulator, type StartSimulatorOptions, startSimulator } from './start-simulator';
export { FAST_RETRIES, type Stack, type StackOf, type StackOptions, startStack } from './start-stack';
export {
  type StartWorkerProcessOptions,
  startWorkerProcess,
  type WorkerProcess,
  type WorkerReadiness,
} from './start-worker-process';
export { Teardown } from './teardown';
export { mountTinyDisk, type TinyDisk } from './tiny-disk';
export { newPrefix, uniqueTexts } from './unique-names';
export { type WaitOptions, waitFor } from './wait-for';
