import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '@sms/queue';

// Deletes the lock only while it still holds this holder's token, so a holder whose lock
// expired cannot release the next holder's.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * One operation at a time on a dead-lettered message, across processes: a Redis `SET NX` with
 * an expiry, so a holder that dies frees the message after `ttlMs`. The operations it guards take
 * milliseconds; the expiry only has to outlast a slow one.
 */
export class MessageLock {
  constructor(
    private readonly redis: RedisConnection,
    /** Put before the id to name its lock's key (`operatorKeys(prefix).lockPrefix`). */
    private readonly keyPrefix: string,
    /** @defaultValue 30000 */
    private readonly ttlMs = 30_000,
  ) {}

  /** Runs `work` holding the lock of `id`; answers `{ locked: false }` at once when another holds it. */
  async run<T>(id: string, work: () => Promise<T>): Promise<{ locked: true; value: T } | { locked: false }> {
    const key = this.keyPrefix + id;
    const token = randomUUID();
    if ((await this.redis.set(key, token, 'PX', this.ttlMs, 'NX')) !== 'OK') return { locked: false };
    try {
      return { locked: true, value: await work() };
    } finally {
      await this.redis.eval(RELEASE, 1, key, token).catch(() => {
        // The lock then expires on its own.
      });
    }
  }
}
