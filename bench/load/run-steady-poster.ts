import { type BenchChild, spawnBenchChild } from '../harness/bench-child';
import type { Percentiles } from '../harness/percentiles';

export interface PosterJob {
  /** The endpoint: the API's `/v1/sms` or the simulator's send URL. */
  readonly url: string;
  readonly authorization: string;
  readonly rate: number;
  readonly seconds: number;
  /** First word of every text: texts are `<label> <seq> <sentAtMs>`. */
  readonly label: string;
  /** The API's `priority` of every message (`high`, `bulk`); the API's default when absent. */
  readonly priority?: string;
}

export interface PosterResult {
  readonly sent: number;
  /** How long sending took; about `seconds` unless the machine could not keep up. */
  readonly sendingMs: number;
  /** Answers by HTTP status (`error` for no answer). */
  readonly statuses: Readonly<Record<string, number>>;
  /** Time to each answer, as the client saw it. */
  readonly answerLatencyMs: Percentiles;
}

/** A started open-loop poster (`steady-poster.ts`), waiting for `go`. */
export interface Poster {
  go(): void;
  result(): Promise<PosterResult>;
  stop(): Promise<void>;
}

export async function startPoster(job: PosterJob): Promise<Poster> {
  const args = [
    ['--url', job.url],
    ['--authorization', job.authorization],
    ['--rate', String(job.rate)],
    ['--duration-ms', String(Math.round(job.seconds * 1000))],
    ['--label', job.label],
    ...(job.priority === undefined ? [] : [['--priority', job.priority]]),
  ].flat();
  const child: BenchChild = spawnBenchChild('load/steady-poster.ts', args);
  await child.next('ready', 60_000);
  return {
    go: () => child.send('go'),
    result: async () => {
      const result = await child.next<{ event: 'result' } & PosterResult>(
        'result',
        (job.seconds + 120) * 1000,
      );
      child.send('exit');
      return result;
    },
    stop: () => child.stop(),
  };
}

/** Runs a poster from start to end. */
export async function runPoster(job: PosterJob): Promise<PosterResult> {
  const poster = await startPoster(job);
  try {
    poster.go();
    return await poster.result();
  } finally {
    await poster.stop();
  }
}

/** The sequence number and send time a poster wrote into a text, if the text is one of `label`'s. */
export function parsePostedText(text: string, label: string): { seq: number; sentAt: number } | undefined {
  const [word, seq, sentAt] = text.split(' ');
  if (word !== label || seq === undefined || sentAt === undefined) return undefined;
  return { seq: Number(seq), sentAt: Number(sentAt) };
}
