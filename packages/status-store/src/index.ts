export {
  type AttemptRecord,
  type StatusClaim,
  type StatusRecord,
  StatusStore,
  type StatusStoreOptions,
  type StatusUpdate,
} from './status-store';
