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
  type JobLock,
  type StatusClaim,
  StatusStore,
  type StatusStoreOptions,
  type StatusUpdate,
  type WriteCount,
  type WriteOptions,
  type WriteOutcome,
} from './status-store';
