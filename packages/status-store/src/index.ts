export { type RecordIdentity, recordIdentity } from './record-identity';
export { type IndexedMessage, ReferenceIndex, type ReferenceIndexOptions } from './reference-index';
export {
  type AttemptRecord,
  type Cancellation,
  HISTORY_FIELD,
  type JobLock,
  parseHistory,
  type StatusClaim,
  type StatusRecord,
  StatusStore,
  type StatusStoreOptions,
  type StatusUpdate,
  type WriteCount,
  type WriteOptions,
  type WriteOutcome,
} from './status-store';
