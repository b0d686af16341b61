export { freePort } from './free-port';
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
export { type RedisServer, startRedis, startRedisServer, type TestRedis } from './start-redis';
export { type RunningSimulator, type StartSimulatorOptions, startSimulator } from './start-simulator';
export { type WaitOptions, waitFor } from './wait-for';
