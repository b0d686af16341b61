export { type ServiceRuntime, type StartedService, serviceRuntime } from './service-runtime';
export { type SignalShutdown, stopOnSignals } from './stop-on-signals';
