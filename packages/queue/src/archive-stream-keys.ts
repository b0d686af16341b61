/**
 * The keys of the hand-off from Redis to the PostgreSQL archive: a stream of the ids of
 * messages that reached a final status (`XADD <stream> * i <id>`, by the status-write scripts of
 * `@sms/status-store`), the bound on its length, and the count of final records left out because
 * the stream was full. All under the gateway's key prefix, which carries the Redis Cluster hash
 * tag, so that the status scripts can touch them with the records they write.
 */
export interface ArchiveStreamKeys {
  /**
   * The stream. Created only by the archiver (with its consumer group): while it does not exist,
   * the status scripts add nothing, so a gateway without an archiver never grows one.
   */
  readonly stream: string;
  /** Holds the most entries the stream may hold (ARCHIVE_BACKLOG_LIMIT), set by the archiver. */
  readonly limit: string;
  /** Counts final records not added because the stream was full; they keep their full Redis retention. */
  readonly overflow: string;
}

/** The consumer group of the archivers on the stream. */
export const ARCHIVE_GROUP = 'archivers';

/** The field of a stream entry that holds the message id. */
export const ARCHIVE_ID_FIELD = 'i';

/** `prefix` as the queues take it: `redisKeyPrefix(QUEUE_PREFIX)` of `@sms/config`. */
export function archiveStreamKeys(prefix: string): ArchiveStreamKeys {
  const stream = `${prefix}:archive`;
  return { stream, limit: `${stream}:limit`, overflow: `${stream}:overflow` };
}
