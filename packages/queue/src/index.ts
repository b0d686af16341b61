export {
  ARCHIVE_GROUP,
  ARCHIVE_ID_FIELD,
  type ArchiveStreamKeys,
  archiveStreamKeys,
} from './archive-stream-keys';
export { checkEvictionPolicy, type EvictionLogger } from './check-eviction-policy';
export {
  checkJobEncoding,
  type JobEncodingLogger,
  RECOMMENDED_HASH_MAX_LISTPACK_VALUE,
} from './check-job-encoding';
export { CorruptRecordError, checkedField } from './corrupt-record-error';
export {
  DEAD_LETTER_INDEX_VERSION,
  type DeadLetterIndexKeys,
  deadLetterIndexKeys,
  indexSets,
} from './dead-letter-index-keys';
export {
  createDeadLetterQueue,
  type DeadLetterEntry,
  type DeadLetterQueue,
  type DeadLetterReason,
  deadLetter,
  deadLetterEntry,
  type LastOutcome,
  queuePrefixOf,
} from './dead-letter-queue';
export { DeadlinePassedError } from './deadline-passed-error';
export {
  enqueueBeforeDeadline,
  enqueueGroupsBeforeDeadline,
  type SmsJobGroup,
  type SmsJobToAdd,
} from './enqueue-before-deadline';
export { type ConnectionChangeLogger, logConnectionChanges } from './log-connection-changes';
export { LUA_BYTE_ORDER } from './lua-byte-order';
export { mayHaveBeenWritten } from './may-have-been-written';
export { messageJobOptions, PRIORITY_JOB_OPTIONS } from './message-job-options';
export { NotReplicatedError } from './not-replicated-error';
export { isCluster, pingRedis, primariesOf } from './ping-redis';
export {
  CALLBACK_BACKOFF,
  CALLBACK_JOB,
  CALLBACK_QUEUE,
  DEAD_LETTER_QUEUE,
  SEND_BACKOFF,
  SEND_JOB,
  SMS_QUEUE,
} from './queue-names';
export { type ArchiveBacklog, readArchiveBacklog } from './read-archive-backlog';
export {
  DUE_WITHIN_MS,
  QUEUE_STATES,
  type QueueState,
  type QueueStateName,
  readQueueState,
} from './read-queue-state';
export {
  type ConnectionFor,
  type ConnectionSettings,
  createProducerConnection,
  createWorkerConnection,
  type RedisConnection,
} from './redis-connections';
export { type RedisRefusal, redisRefusalOf } from './redis-refusal';
export {
  isIntegerReply,
  RedisScript,
  type ScriptDefinition,
  type ScriptHost,
  ScriptReplyError,
} from './redis-script';
export { redisWriteRefusal, writeProbeKey } from './redis-write-probe';
export { ReplicaAcknowledgement, type ReplicaAcknowledgementSettings } from './replica-acknowledgement';
export { type SendJobSettings, sendJobOptions } from './send-job-options';
export { createSmsQueue, enqueueSms, type QueueSetup, type SmsQueue } from './sms-queue';
export { type StartupLogger, waitForRedis } from './wait-for-redis';
export { withTimeout } from './with-timeout';
