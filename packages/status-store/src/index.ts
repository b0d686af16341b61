export {
  type AttemptRecord,
  type StatusRecord,
  StatusStore,
  type StatusStoreOptions,
  type StatusUpdate,
} from './status-store';
