/**
 * The keys this package adds beside the queue and the dead-letter index (`deadLetterIndexKeys`
 * of `@sms/queue`), all under the gateway's key prefix.
 */
export function operatorKeys(prefix: string) {
  return {
    /** The replay journal, a hash of entries whose replay has begun (`ReplayJournal`). */
    journal: `${prefix}:dead-letters:replaying`,
    /** Prefix of the per-message locks of replay and delete (`MessageLock`). */
    lockPrefix: `${prefix}:dead-letters:lock:`,
    /** Prefix of the lock that lets one process at a time build the index. */
    buildLockPrefix: `${prefix}:dead-letters:index:lock:`,
  } as const;
}
