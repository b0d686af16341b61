import type { ArchiverMetrics } from '@sms/metrics';
import { ArchiveStepError, type BatchOutcome } from './archive-batch';
import type { ArchiveEntry } from './archive-consumer';

export interface ArchiveLoopDeps {
  readonly next: () => Promise<ArchiveEntry[]>;
  readonly archive: (entries: readonly ArchiveEntry[]) => Promise<BatchOutcome>;
  readonly metrics: ArchiverMetrics;
  /** Rate-limited: a PostgreSQL that is down fails every try. */
  readonly logError: (details: object, message: string) => void;
  readonly logInfo: (details: object, message: string) => void;
  /** Ends a read that waits for new entries, so that `stop` need not wait for it. */
  readonly interruptRead: () => void;
  /** After a failure, waits from `minMs`, doubling per failure up to `maxMs`. @defaultValue 500 to 30000 */
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
}

/**
 * The archiver's work: batch after batch until stopped. It never gives up: a failure (PostgreSQL
 * or Redis away) leaves the batch pending, waits a capped, doubling delay and tries again, so
 * that an outage only grows the backlog and the archiver catches up when it ends.
 */
export class ArchiveLoop {
  private stopping = false;
  private reading = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly deps: ArchiveLoopDeps) {}

  start(): void {
    this.running ??= this.run();
  }

  /** Lets a batch in flight finish (or fail), then resolves; a wait for new entries is cut short. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    if (this.reading) this.deps.interruptRead();
    await this.running;
  }

  private async run(): Promise<void> {
    const { minMs, maxMs } = this.deps.backoff ?? { minMs: 500, maxMs: 30_000 };
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.step();
        if (failures > 0) this.deps.logInfo({ failures }, 'archiving again');
        failures = 0;
      } catch (error) {
        if (this.stopping) return;
        failures += 1;
        this.recordFailure(error, failures);
        await this.pause(Math.min(maxMs, minMs * 2 ** (failures - 1)));
      }
    }
  }

  private async step(): Promise<void> {
    this.reading = true;
    let entries: ArchiveEntry[];
    try {
      entries = await this.deps.next();
    } catch (error) {
      throw error instanceof ArchiveStepError ? error : new ArchiveStepError('redis', error);
    } finally {
      this.reading = false;
    }
    if (entries.length === 0) return;
    const { metrics } = this.deps;
    const timer = metrics.batchDuration.startTimer();
    const outcome = await this.deps.archive(entries);
    timer();
    metrics.archived.inc({ outcome: 'written' }, outcome.written);
    metrics.archived.inc({ outcome: 'not_final' }, outcome.notFinal);
    metrics.archived.inc({ outcome: 'missing' }, outcome.missing);
    if (outcome.written > 0) metrics.postgresUp.set(1);
  }

  private recordFailure(error: unknown, failures: number): void {
    const stage = error instanceof ArchiveStepError ? error.stage : 'redis';
    this.deps.metrics.failures.inc({ stage });
    if (stage === 'postgres') this.deps.metrics.postgresUp.set(0);
    this.deps.logError(
      { err: error, stage, failures },
      'archiving failed; the batch stays pending and is tried again',
    );
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
