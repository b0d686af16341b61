export { type ApiConfig, apiConfigSchema } from './api-config';
export { type ArchiverConfig, archiveMigrationConfigSchema, archiverConfigSchema } from './archiver-config';
export {
  callbackAllowedHosts,
  callbackConfigShape,
  callbackDefaultUrls,
  callbackSecrets,
} from './callback-settings';
export { type CliConfig, cliConfigSchema, namedRedisTarget } from './cli-config';
export { type ClientQuota, parseClientQuota } from './client-quotas';
export {
  envAddressList,
  envBoolean,
  envInt,
  envList,
  envNumber,
  envUrl,
  type RedisAddress,
} from './env-types';
export { ConfigError, loadConfig } from './load-config';
export { redisKeyPrefix } from './redis-key-prefix';
export {
  type ClusterTarget,
  DEFAULT_REDIS_URL,
  describeRedisTarget,
  type RedisCredentials,
  type RedisSettings,
  type RedisTarget,
  redisTargetOf,
  type SentinelTarget,
  type ServerTarget,
} from './redis-target';
export { redisTopologyProblems } from './redis-topology-problems';
export { redisConfigShape, sharedConfigShape } from './shared-config';
export {
  SIMULATOR_BODY_STYLES,
  SIMULATOR_LOG_LEVELS,
  type SimulatorBodyStyle,
  type SimulatorConfig,
  simulatorConfigSchema,
} from './simulator-config';
export { TRACES_SAMPLERS, type TracesSampler, tracingConfigShape } from './tracing-config';
export { type WorkerConfig, workerConfigSchema } from './worker-config';
