import { type OtlpReceiver, startOtlpReceiver, waitFor } from '@sms/testing';
import { measureWorkerDrain } from '../harness/measure-worker-drain';
import { settleRedis } from '../harness/settle-redis';
import type { AutocannonJob } from '../load/autocannon-job';
import { combineRuns } from '../load/combine-runs';
import { type MeasuredLoad, runAutocannon } from '../load/run-autocannon';
import type { Scenario } from '../scenario';

const BODY = JSON.stringify({ to: '+573001234567', text: 'Your verification code is 482913' });

/**
 * What tracing costs: the API taking POST /v1/sms, and a worker draining a backlog, each once
 * without OTEL_EXPORTER_OTLP_ENDPOINT (no SDK started: the baseline) and once exporting every
 * span over OTLP/HTTP to a receiver in the bench's process that only counts them, as a collector
 * on the same machine would take them; the API also with one trace in ten kept
 * (`parentbased_traceidratio`, 0.1). The accept runs alternate round by round, like `accept`.
 */
export const tracingCost: Scenario = {
  name: 'tracing',
  title: 'Tracing cost (accept and delivery, OTLP export on and off)',
  run: async ({ sizes, log, environment }) => {
    const { connections, warmupSeconds, seconds, rounds } = sizes.accept;
    const receiver = await startOtlpReceiver({ discard: true });
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint };
    let env = await environment();
    try {
      const sampling = {
        ...tracing,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      };
      const [plainApi, tracedApi, sampledApi] = await Promise.all([
        env.startApi(),
        env.startApi({ env: tracing }),
        env.startApi({ env: sampling }),
      ]);
      const job = (url: string, apiKey: string, round: number): AutocannonJob => ({
        url: `${url}/v1/sms`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: BODY,
        connections,
        warmupSeconds: round === 0 ? warmupSeconds : 0,
        durationSeconds: seconds,
      });
      const plainRuns: MeasuredLoad[] = [];
      const tracedRuns: MeasuredLoad[] = [];
      const sampledRuns: MeasuredLoad[] = [];
      const apis = [
        [plainApi, plainRuns],
        [tracedApi, tracedRuns],
        [sampledApi, sampledRuns],
      ] as const;
      for (let round = 0; round < rounds; round++) {
        log(
          `accept round ${round + 1} of ${rounds}: untraced, traced, 1 in 10 traced; ${connections} connections`,
        );
        // Each round in another order, so that none is always first on the emptiest Redis.
        for (const [api, runs] of [...apis.slice(round % 3), ...apis.slice(0, round % 3)]) {
          await settleRedis(env.connection);
          runs.push(await runAutocannon(job(api.url, api.apiKey, round), { api: api.pid }));
        }
      }
      await Promise.all(apis.map(([api]) => api.stop()));
      const acceptSpans = receiver.count();
      const plain = combineRuns(plainRuns, 'api');
      const traced = combineRuns(tracedRuns, 'api');
      const sampled = combineRuns(sampledRuns, 'api');

      // The accepted messages wait in the send queue: the drains start from an empty Redis.
      await env.stop();
      env = await environment();
      const { messages } = sizes.delivery;
      log(`delivery: ${messages} messages drained by an untraced worker, then by a traced one`);
      const plainDrain = await measureWorkerDrain(env, messages);
      const tracedDrain = await measureWorkerDrain(env, messages, { env: tracing });
      const deliverySpans = await spansSettled(receiver, acceptSpans + 2 * messages);
      const workerCpu = (drain: typeof plainDrain) => (drain.cpuMicros.worker ?? 0) / messages;

      const untraced = (value: number) => ({ name: 'untraced', value });
      return {
        figures: [
          {
            figure: 'accepted/s, traced',
            value: traced.okPerSecond,
            unit: 'req/s',
            baseline: untraced(plain.okPerSecond),
            target: { on: 'ratio', op: '>=', limit: 0.85 },
          },
          { figure: 'p99 latency, traced', value: traced.p99, unit: 'ms', baseline: untraced(plain.p99) },
          {
            figure: 'API CPU per message, traced',
            value: traced.cpuPerOk,
            unit: 'µs',
            baseline: untraced(plain.cpuPerOk),
          },
          {
            figure: 'accepted/s, 1 in 10 traced',
            value: sampled.okPerSecond,
            unit: 'req/s',
            baseline: untraced(plain.okPerSecond),
          },
          {
            figure: 'API CPU per message, 1 in 10 traced',
            value: sampled.cpuPerOk,
            unit: 'µs',
            baseline: untraced(plain.cpuPerOk),
          },
          {
            figure: 'delivered/s, traced',
            value: tracedDrain.messagesPerSecond,
            unit: 'msg/s',
            baseline: untraced(plainDrain.messagesPerSecond),
            target: { on: 'ratio', op: '>=', limit: 0.85 },
          },
          {
            figure: 'worker CPU per message, traced',
            value: workerCpu(tracedDrain),
            unit: 'µs',
            baseline: untraced(workerCpu(plainDrain)),
          },
        ],
        details: {
          connections,
          seconds,
          rounds,
          messages,
          accept: {
            untraced: plainRuns.map((r) => r.load),
            traced: tracedRuns.map((r) => r.load),
            oneInTen: sampledRuns.map((r) => r.load),
          },
          delivery: { untraced: plainDrain, traced: tracedDrain },
          // Two spans per accepted message (request, enqueue), two per delivered one (process,
          // kaarai send): fewer received means the exporter's queue dropped some.
          spansReceived: { accept: acceptSpans, delivery: deliverySpans - acceptSpans },
          accepted: {
            traced: tracedRuns.reduce((sum, run) => sum + run.load.ok, 0),
            oneInTen: sampledRuns.reduce((sum, run) => sum + run.load.ok, 0),
          },
        },
      };
    } finally {
      await env.stop();
      await receiver.stop();
    }
  },
};

// The worker exports what it still holds when it stops; its last batch may be on its way. Fewer
// spans than expected are reported as they are, not waited for past the deadline.
async function spansSettled(receiver: OtlpReceiver, expected: number): Promise<number> {
  await waitFor(() => receiver.count() >= expected, {
    timeoutMs: 10_000,
    intervalMs: 200,
    description: `${expected} spans`,
  }).catch(() => {});
  return receiver.count();
}
