import { type SimulatorAdmin, waitFor } from '@sms/testing';
import type { BenchChild } from '../harness/bench-child';
import { CpuMeter } from '../harness/process-cpu';
import { runAutocannon } from '../load/run-autocannon';
import { type KannelBinaries, startKannel } from './start-kannel';

/** What the sink child reports once it listens. */
export interface KannelSinkInfo {
  readonly url: string;
  readonly adminUrl: string;
  readonly caFile: string;
}

export interface KannelDrain {
  readonly messages: number;
  /** Messages bearerbox's store held when the sink was released. */
  readonly stored: number;
  readonly elapsedMs: number;
  readonly messagesPerSecond: number;
  /** CPU microseconds of bearerbox, smsbox and the sink from the release to the last receipt. */
  readonly cpuMicros: Record<string, number>;
}

export interface KannelDrainOptions {
  readonly binaries: KannelBinaries;
  readonly sink: BenchChild;
  readonly sinkInfo: KannelSinkInfo;
  readonly sinkAdmin: SimulatorAdmin;
  /** smsbox's sendsms URL with the query of one message, user and password included. */
  readonly sendsmsQuery: (sendsmsUrl: string) => string;
  readonly messages: number;
  readonly connections: number;
  readonly inFlight: number;
}

/**
 * A backlog drained by Kannel: a fresh bearerbox and smsbox (empty store), the sink holding every
 * request, `messages` posted through smsbox's sendsms (each answered 202 once bearerbox has written
 * it to its store file), then the sink released and timed from the release until it has received
 * every message. Kannel's first `inFlight` requests wait unanswered at the sink meanwhile, the rest
 * in bearerbox's queue.
 */
export async function drainKannel(options: KannelDrainOptions): Promise<KannelDrain> {
  const { sink, sinkAdmin, messages } = options;
  const kannel = await startKannel({
    binaries: options.binaries,
    sinkUrl: options.sinkInfo.url,
    sinkCaFile: options.sinkInfo.caFile,
    inFlight: options.inFlight,
  });
  let held = false;
  try {
    sink.send('hold');
    await sink.next('holding', 10_000);
    held = true;
    const fill = await runAutocannon(
      {
        url: options.sendsmsQuery(kannel.sendsmsUrl),
        method: 'GET',
        headers: {},
        connections: options.connections,
        warmupSeconds: 0,
        durationSeconds: Math.ceil(messages / 500),
        amount: messages,
      },
      {},
    );
    if (fill.load.ok !== messages)
      throw new Error(`Kannel accepted ${fill.load.ok} of ${messages}: ${JSON.stringify(fill.load)}`);
    const stored = await kannel.storeSize();
    await sinkAdmin.reset();
    const meter = CpuMeter.start({
      bearerbox: kannel.bearerboxPid,
      smsbox: kannel.smsboxPid,
      sink: sink.pid,
    });
    const started = performance.now();
    sink.send('release');
    held = false;
    await waitFor(async () => (await sinkAdmin.stats()).recorded >= messages, {
      timeoutMs: Math.max(120_000, messages * 20),
      intervalMs: 20,
      description: `the sink to receive ${messages} messages from Kannel`,
    });
    const elapsedMs = performance.now() - started;
    const cpuMicros = meter.read();
    await sink.next('released', 10_000);
    return { messages, stored, elapsedMs, messagesPerSecond: (messages / elapsedMs) * 1000, cpuMicros };
  } finally {
    if (held) {
      sink.send('release');
      await sink.next('released', 10_000).catch(() => {});
    }
    await kannel.stop();
  }
}
