import type { DeadLetterEntry, RedisConnection } from '@sms/queue';

/**
 * Copies of dead-letter entries whose replay has begun: a replay writes the copy before it takes
 * the entry out of the queue and deletes it once the message is back on the send queue. A copy
 * that outlives its replay (the process died, or Redis went away, in between) is how the message
 * stays visible and replayable. One Redis hash, `<prefix>:dead-letters:replaying`.
 */
export class ReplayJournal {
  private readonly key: string;

  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
  ) {
    this.key = `${prefix}:dead-letters:replaying`;
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

  /** Every replay that did not finish, by message id. */
  async all(): Promise<Map<string, DeadLetterEntry>> {
    const raw = await this.redis.hgetall(this.key);
    return new Map(Object.entries(raw).map(([id, json]) => [id, JSON.parse(json) as DeadLetterEntry]));
  }
}
