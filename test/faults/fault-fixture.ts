import { randomUUID } from 'node:crypto';
import { isFinalStatus, type MessageStatus } from '@sms/contracts';
import { SMS_QUEUE } from '@sms/queue';
import {
  type ApiProcess,
  mapConcurrently,
  type QueueJobCounts,
  queueJobCounts,
  type RedisServer,
  type RedisServerOptions,
  type RunningSimulator,
  type SimulatorAdmin,
  startRedis,
  startRedisServer,
  startSimulator,
  type TestRedis,
  waitFor,
} from '@sms/testing';

/** The send queue and the dead-letter queue, by the names the gateway gives them. */
export { DEAD_LETTER_QUEUE, SMS_QUEUE as SEND_QUEUE } from '@sms/queue';

/** Retries in tens of milliseconds instead of seconds, so that a fault test runs quickly. */
export const FAST_RETRIES = { RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '500' } as const;

/** A key prefix of its own for one test, so that tests can share a Redis. */
export function newPrefix(): string {
  return `f${randomUUID().slice(0, 8)}`;
}

/**
 * What every fault test file runs on: a Redis of its own and the simulator over HTTPS, stopped
 * by `teardown` after the file's tests.
 */
export async function startRedisAndSimulator(
  teardown: Teardown,
): Promise<{ redis: TestRedis; simulator: RunningSimulator }> {
  const [redis, simulator] = await Promise.all([
    startRedis().then((r) => teardown.add(r, (it) => it.stop())),
    startSimulator({ https: true }).then((s) => teardown.add(s, (it) => it.stop())),
  ]);
  return { redis, simulator };
}

/**
 * As `startRedisAndSimulator`, with a `redis-server` of the file's own whatever `REDIS_URL` says,
 * for a test that crashes, restarts or freezes it.
 */
export async function startRedisServerAndSimulator(
  teardown: Teardown,
  options: RedisServerOptions = {},
): Promise<{ redis: RedisServer; simulator: RunningSimulator }> {
  const [redis, simulator] = await Promise.all([
    startRedisServer(options).then((r) => teardown.add(r, (it) => it.stop())),
    startSimulator({ https: true }).then((s) => teardown.add(s, (it) => it.stop())),
  ]);
  return { redis, simulator };
}

/** `count` texts unique to this run, which the simulator's record is then counted by. */
export function uniqueTexts(label: string, count: number): string[] {
  const run = randomUUID().slice(0, 8);
  return Array.from({ length: count }, (_, i) => `${label} ${run} #${i}`);
}

/** Posts one message per text through the API and returns their ids; each must get 202. */
export async function postAll(
  api: ApiProcess,
  texts: readonly string[],
  extra: { readonly validFor?: number } = {},
): Promise<string[]> {
  return mapConcurrently(texts, 16, async (text) => {
    const response = await api.post({ to: '573001234567', text, ...extra });
    const body = (await response.json()) as { id?: string };
    if (response.status !== 202 || body.id === undefined)
      throw new Error(`POST of "${text}" answered ${response.status}: ${JSON.stringify(body)}`);
    return body.id;
  });
}

/** One answer to a request of `postContinuously` or `postAtRate`. */
export interface PostAnswer {
  readonly text: string;
  /** True when the request carried an Idempotency-Key (its text). */
  readonly keyed: boolean;
  /** 0 when no HTTP answer came at all. */
  readonly status: number;
  readonly id?: string;
  readonly code?: number;
  /** The refusal's message, or why no answer came, to explain a failure. */
  readonly message?: string;
  readonly startedAt: number;
  /** When the answer came, and how long it took. */
  readonly at: number;
  readonly ms: number;
}

/** Posts one message with its own text (and, when `keyed`, the text as its Idempotency-Key). */
async function postOne(api: ApiProcess, text: string, keyed: boolean): Promise<PostAnswer> {
  const startedAt = Date.now();
  const started = performance.now();
  let status = 0;
  let body: { id?: string; code?: number; message?: string } = {};
  try {
    const response = await api.post({ to: '573001234567', text }, keyed ? { 'idempotency-key': text } : {});
    status = response.status;
    body = (await response.json()) as typeof body;
  } catch (error) {
    body = { message: (error as Error).message };
  }
  const { id, code, message } = body;
  return {
    text,
    keyed,
    status,
    ...(id !== undefined && { id }),
    ...(code !== undefined && { code }),
    ...(message !== undefined && { message }),
    startedAt,
    at: Date.now(),
    ms: performance.now() - started,
  };
}

/**
 * Posts from `clients` clients back to back, each message with its own text and
 * Idempotency-Key, until `stop()`; every answer is kept, in order of arrival.
 */
export function postContinuously(api: ApiProcess, label: string, clients: number) {
  const texts = uniqueTexts(label, 100_000);
  const answers: PostAnswer[] = [];
  let next = 0;
  let posting = true;
  const client = async () => {
    while (posting) answers.push(await postOne(api, texts[next++]!, true));
  };
  const running = Promise.all(Array.from({ length: clients }, client));
  return {
    answers,
    stop: async () => {
      posting = false;
      await running;
    },
  };
}

/**
 * Posts `perSecond` messages a second, each with its own text, whether or not the earlier ones
 * were answered (as independent clients do), until `stop()`, which waits for every answer.
 * Every `keyedEvery`-th message carries an Idempotency-Key; every answer is kept, in order of arrival.
 */
export function postAtRate(
  api: ApiProcess,
  label: string,
  options: { readonly perSecond: number; readonly keyedEvery: number },
) {
  const texts = uniqueTexts(label, 100_000);
  const answers: PostAnswer[] = [];
  const pending = new Set<Promise<void>>();
  const startedAt = performance.now();
  let sent = 0;
  // Catches up after a late tick instead of drifting, so the rate holds on a loaded machine.
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - startedAt) / 1000) * options.perSecond);
    for (; sent < due; sent++) {
      const post = postOne(api, texts[sent]!, sent % options.keyedEvery === 0).then((answer) => {
        answers.push(answer);
        pending.delete(post);
      });
      pending.add(post);
    }
  }, 10);
  return {
    answers,
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
    },
  };
}

/** Waits until the send queue holds no job in any state: every message was taken to its end. */
export function queueDrained(redisUrl: string, prefix: string, timeoutMs: number): Promise<QueueJobCounts> {
  return waitFor(
    async () => {
      const counts = await queueJobCounts(redisUrl, prefix, SMS_QUEUE);
      return counts.total === 0 ? counts : undefined;
    },
    { timeoutMs, intervalMs: 200, description: 'the send queue to drain' },
  );
}

/** Waits until every message has a final status and returns the statuses, by id. */
export function finalStatuses(
  api: ApiProcess,
  ids: readonly string[],
  timeoutMs: number,
): Promise<Map<string, string>> {
  return waitFor(
    async () => {
      const views = await mapConcurrently(ids, 16, (id) => api.status(id));
      return views.every((view) => isFinal(view.status))
        ? new Map(views.map((view, i) => [ids[i]!, view.status]))
        : undefined;
    },
    { timeoutMs, intervalMs: 250, description: 'every message to reach a final status' },
  );
}

/** True for a status after which a message no longer changes (`@sms/contracts`). */
export function isFinal(status: string): boolean {
  return isFinalStatus(status as MessageStatus);
}

/** How many statuses have each value, e.g. `{ accepted: 99, failed: 1 }`. */
export function countStatuses(statuses: ReadonlyMap<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses.values()) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** Texts among `texts` that the simulator recorded at least once. */
export async function recordedAmong(admin: SimulatorAdmin, texts: readonly string[]): Promise<string[]> {
  const counts = await admin.countBy('text');
  return texts.filter((text) => (counts.get(text) ?? 0) > 0);
}

/** Runs the registered clean-ups in reverse order; one failing does not skip the others. */
export class Teardown {
  readonly #steps: Array<() => Promise<unknown>> = [];

  add<T>(resource: T, stop: (resource: T) => Promise<unknown>): T {
    this.#steps.push(() => stop(resource));
    return resource;
  }

  async run(): Promise<void> {
    const errors: unknown[] = [];
    for (const step of this.#steps.splice(0).reverse()) await step().catch((error) => errors.push(error));
    if (errors.length > 0) throw errors[0];
  }
}
