import { DeadLetters, MAX_PAGE_SIZE } from '@sms/dead-letters';
import {
  createDeadLetterQueue,
  createSmsQueue,
  type DeadLetterEntry,
  type DeadLetterQueue,
  deadLetter,
} from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import { mapConcurrently } from '@sms/testing';
import type Redis from 'ioredis';
import { percentiles } from '../harness/percentiles';
import type { Figure, Scenario } from '../scenario';

// Dead letters as a day of 4031 refusals leaves them: about 1 kB each, three to a millisecond so
// that pages cut through ties, one in five `expired`.
const START = Date.UTC(2024, 4, 1);
const REASONS = ['rejected', 'rejected', 'rejected', 'expired', 'retries_exhausted'] as const;
const PAGE = 50;

function entryOf(i: number): DeadLetterEntry {
  const reason = REASONS[i % REASONS.length]!;
  const deadLetteredAt = START + Math.floor(i / 3);
  return {
    to: '573001234567',
    text: `Your verification code is ${i}. ${'Do not share it with anyone. '.repeat(30)}`,
    client: 'billing',
    acceptedAt: deadLetteredAt - 60_000,
    requestId: `req-${i}`,
    reason,
    ...(reason !== 'expired' && { code: 4031 }),
    message: 'Number not routable',
    attempts: 1,
    deadLetteredAt,
  };
}

interface PageTimes {
  readonly entries: number;
  /** Median ms of each kind of page read. */
  readonly first: number;
  readonly middle: number;
  readonly filtered: number;
  /** The longest command Redis ran while the pages were read, in µs (its SLOWLOG). */
  readonly slowestCommandMicros: number;
}

/**
 * What an operator's page of dead letters costs as the dead-letter queue grows: the same reads
 * (the newest page, a page half-way down by cursor, a page of one reason in a time window) on a
 * queue of `small` and of `large` entries, each written by `deadLetter` itself. A page read from
 * the index costs O(page), so the large queue's page should take about as long as the small
 * one's: the small queue is the baseline. Redis' SLOWLOG, logging every command while the pages
 * are read, gives the longest single command.
 */
export const deadLetterPages: Scenario = {
  name: 'dead-letters',
  title: 'A page of dead letters, small queue against large',
  run: async ({ sizes, log, environment }) => {
    const { small, large, repeats } = sizes.deadLetterPages;
    const measured: PageTimes[] = [];
    for (const entries of [small, large]) {
      const env = await environment();
      try {
        log(`${entries} dead letters: writing them, then reading pages`);
        measured.push(await measurePages(env.connection, env.prefix, entries, repeats));
      } finally {
        await env.stop();
      }
    }
    const [atSmall, atLarge] = measured as [PageTimes, PageTimes];
    const versus = (value: number) => ({ name: `${small.toLocaleString('en')} entries`, value });
    const label = `at ${large.toLocaleString('en')} entries`;
    const figures: Figure[] = [
      {
        figure: `newest page ${label}`,
        value: atLarge.first,
        unit: 'ms',
        baseline: versus(atSmall.first),
        target: { on: 'ratio', op: '<=', limit: 2 },
      },
      {
        figure: `page half-way down by cursor ${label}`,
        value: atLarge.middle,
        unit: 'ms',
        baseline: versus(atSmall.middle),
        target: { on: 'ratio', op: '<=', limit: 2 },
      },
      {
        figure: `page of one reason in a window ${label}`,
        value: atLarge.filtered,
        unit: 'ms',
        baseline: versus(atSmall.filtered),
        target: { on: 'ratio', op: '<=', limit: 2 },
      },
      {
        figure: `slowest Redis command ${label}`,
        value: atLarge.slowestCommandMicros / 1000,
        unit: 'ms',
        baseline: versus(atSmall.slowestCommandMicros / 1000),
        target: { on: 'value', op: '<=', limit: 5 },
      },
    ];
    return { figures, details: { pageSize: PAGE, repeats, measured } };
  },
};

async function measurePages(
  redis: Redis,
  prefix: string,
  entries: number,
  repeats: number,
): Promise<PageTimes> {
  const deadLetterQueue: DeadLetterQueue = createDeadLetterQueue({ connection: redis, prefix });
  const smsQueue = createSmsQueue({ connection: redis, prefix });
  try {
    await mapConcurrently(
      Array.from({ length: entries }, (_, i) => i),
      256,
      (i) => deadLetter(deadLetterQueue, `m-${String(i).padStart(7, '0')}`, entryOf(i)),
    );
    const deadLetters = new DeadLetters({
      deadLetterQueue,
      smsQueue,
      statusStore: new StatusStore(redis, { prefix }),
      redis,
      prefix,
      sendAttempts: 3,
    });
    // Not timed: a first read builds the index's version marker where it is missing.
    const newest = await deadLetters.list({ limit: PAGE });
    // The cursor half-way down, reached as an operator would, page after page.
    const step = Math.min(MAX_PAGE_SIZE, Math.floor(entries / 2));
    let cursor: string | undefined;
    for (let walked = 0; walked < entries / 2; walked += step) {
      cursor = (await deadLetters.list({ limit: step, ...(cursor !== undefined && { cursor }) })).nextCursor;
    }
    const since = START + Math.floor(entries / 9);
    const until = START + Math.floor(entries / 4);
    if (newest.items.length !== PAGE || cursor === undefined)
      throw new Error('the dead letters were not all listed');

    await redis.config('SET', 'slowlog-max-len', '100000');
    await redis.config('SET', 'slowlog-log-slower-than', '0');
    await redis.call('SLOWLOG', 'RESET');
    const timed = async (read: () => Promise<unknown>) => {
      const ms: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const started = performance.now();
        await read();
        ms.push(performance.now() - started);
      }
      return percentiles(ms).p50;
    };
    const first = await timed(() => deadLetters.list({ limit: PAGE }));
    const middle = await timed(() => deadLetters.list({ limit: PAGE, cursor }));
    const filtered = await timed(() => deadLetters.list({ reason: 'expired', since, until, limit: PAGE }));
    const slowlog = (await redis.call('SLOWLOG', 'GET', '100000')) as Array<
      [number, number, number, string[]]
    >;
    await redis.config('SET', 'slowlog-log-slower-than', '10000');
    const slowestCommandMicros = Math.max(0, ...slowlog.map(([, , micros]) => micros));
    return { entries, first, middle, filtered, slowestCommandMicros };
  } finally {
    await Promise.all([deadLetterQueue.close(), smsQueue.close()]);
  }
}
