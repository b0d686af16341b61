import { mapConcurrently } from './map-concurrently';
import type { ApiProcess } from './start-api-process';
import { uniqueTexts } from './unique-names';

/** The number every test message goes to. */
const TO = '573001234567';

/** Posts one message per text through the API, 16 at a time, and returns their ids; each must get 202. */
export async function postAll(
  api: ApiProcess,
  texts: readonly string[],
  extra: { readonly validFor?: number; readonly delivery?: 'at-least-once' | 'at-most-once' } = {},
): Promise<string[]> {
  return mapConcurrently(texts, 16, async (text) => {
    const response = await api.post({ to: TO, text, ...extra });
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

/** A load that runs until `stop()`, which waits for every request in flight. */
export interface PostLoad {
  /** Every answer so far, in order of arrival. */
  readonly answers: readonly PostAnswer[];
  stop(): Promise<void>;
}

/**
 * Posts from `clients` clients back to back, each message with its own text and
 * Idempotency-Key, until `stop()`.
 */
export function postContinuously(api: ApiProcess, label: string, clients: number): PostLoad {
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
 * were answered (as independent clients do), until `stop()`. Every `keyedEvery`-th message
 * carries an Idempotency-Key.
 */
export function postAtRate(
  api: ApiProcess,
  label: string,
  options: { readonly perSecond: number; readonly keyedEvery: number },
): PostLoad {
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

/** Posts one message with its own text (and, when `keyed`, the text as its Idempotency-Key). */
async function postOne(api: ApiProcess, text: string, keyed: boolean): Promise<PostAnswer> {
  const startedAt = Date.now();
  const started = performance.now();
  let status = 0;
  let body: { id?: string; code?: number; message?: string } = {};
  try {
    const response = await api.post({ to: TO, text }, keyed ? { 'idempotency-key': text } : {});
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
