import type { DeadLetterEntry, RedisConnection } from '@sms/queue';
import { operatorKeys } from './operator-keys';

/**
 * Copies of dead-letter entries whose replay has begun: a replay writes the copy before it takes
 * the entry out of the queue and deletes it once the message is back on the send queue. A copy
 * that outlives its replay (the process died, or Redis went away, in between) is how the message
 * stays visible and replayable: its index member stays until the copy is gone. One Redis hash,
 * `<prefix>:dead-letters:replaying`.
 */
export class ReplayJournal {
  private readonly key: string;

  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
  ) {
    this.key = operatorKeys(prefix).journal;
  }

  async save(id: string, entry: DeadLetterEntry): Promise<void> {
    await this.redis.hset(this.key, id, JSON.stringify(entry));
  }

  async read(id: string): Promise<DeadLetterEntry | undefined> {
    const raw = await this.redis.hget(this.key, id);
    return raw === null ? undefined : (JSON.parse(raw) as DeadLetterEntry);
  }

  /** True when there was a copy to delete. */
  async remove(id: string): Promise<boolean> {
    return (await this.redis.hdel(this.key, id)) === 1;
  }
}
