export { type AdminCliConfig, adminCliConfigSchema } from './admin-cli-config';
export { type ApiConfig, apiConfigSchema } from './api-config';
export { envBoolean, envInt, envList, envNumber, envUrl } from './env-types';
export { ConfigError, loadConfig } from './load-config';
export { sharedConfigShape } from './shared-config';
export {
  SIMULATOR_BODY_STYLES,
  SIMULATOR_LOG_LEVELS,
  type SimulatorBodyStyle,
  type SimulatorConfig,
  simulatorConfigSchema,
} from './simulator-config';
export { type WorkerConfig, workerConfigSchema } from './worker-config';
