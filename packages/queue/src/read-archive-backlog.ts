import { archiveStreamKeys } from './archive-stream-keys';
import type { RedisConnection } from './redis-connections';

/** The archive stream as the metrics show it; all 0 while no archiver created the stream. */
export interface ArchiveBacklog {
  /** Final messages waiting to be archived (XLEN). */
  readonly messages: number;
  /** Age of the oldest of them, in seconds, from its entry id's time; 0 when none waits. */
  readonly oldestAgeSeconds: number;
  /** Final messages the full stream refused, ever: they keep their full Redis retention. */
  readonly overflowed: number;
}

/**
 * Reads the archive's backlog in one transaction: cheap enough for every scrape of every replica.
 * An entry id is `<ms>-<seq>`, the time Redis added it, so the oldest entry's age needs no field.
 */
export async function readArchiveBacklog(
  redis: RedisConnection,
  prefix: string,
  now = Date.now(),
): Promise<ArchiveBacklog> {
  const keys = archiveStreamKeys(prefix);
  const replies =
    (await redis
      .multi()
      .xlen(keys.stream)
      .xrange(keys.stream, '-', '+', 'COUNT', 1)
      .get(keys.overflow)
      .exec()) ?? [];
  const [length, oldest, overflowed] = replies.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  }) as [number, [id: string, fields: string[]][], string | null];
  const oldestAt = oldest[0] === undefined ? undefined : Number(oldest[0][0].split('-')[0]);
  return {
    messages: length,
    oldestAgeSeconds: oldestAt === undefined ? 0 : Math.max(0, (now - oldestAt) / 1000),
    overflowed: Number(overflowed ?? 0),
  };
}
