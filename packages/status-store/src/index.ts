export { type RecordIdentity, recordIdentity } from './record-identity';
export {
  type IndexedMessage,
  ReferenceIndex,
  type ReferenceIndexOptions,
  referenceIndexKey,
} from './reference-index';
export type { AttemptRecord, RecordWithHistory, StatusRecord } from './status-record';
export {
  type Cancellation,
  HISTORY_FIELD,
  type JobLock,
  parseHistory,
  type StatusClaim,
  StatusStore,
  type StatusStoreOptions,
  type StatusUpdate,
  type WriteCount,
  type WriteOptions,
  type WriteOutcome,
} from './status-store';
