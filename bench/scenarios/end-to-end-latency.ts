import { waitFor } from '@sms/testing';
import type { Percentiles } from '../harness/percentiles';
import { CpuMeter } from '../harness/process-cpu';
import { accepted, receiptLatencies } from '../harness/receipt-latencies';
import { settleRedis } from '../harness/settle-redis';
import { runPoster } from '../load/run-steady-poster';
import type { Scenario } from '../scenario';

const BASIC_AUTH = `Basic ${Buffer.from('gateway:secret').toString('base64')}`;

/**
 * A steady open-loop rate of POST /v1/sms through the API, one worker and the simulator; each
 * message's latency is from the moment the client sent it to the moment the simulator received
 * it (the simulator's record). The baseline is the same load sent straight to the simulator.
 */
export const endToEndLatency: Scenario = {
  name: 'latency',
  title: 'End-to-end latency at a steady rate (POST to Kaarai receipt)',
  run: async ({ sizes, log, environment }) => {
    const { rate, warmupSeconds, seconds, baselineSeconds } = sizes.latency;
    const env = await environment();
    // Started now, idle during the baseline: their start-up overlaps its warm-up.
    const services = Promise.all([env.startApi(), env.startWorker()]);
    services.catch(() => {}); // awaited below; a failure is reported there
    try {
      const { simulator } = env;
      log(`baseline: ${rate}/s straight to the simulator for ${baselineSeconds} s`);
      const direct = { url: simulator.url, authorization: BASIC_AUTH, rate };
      if (warmupSeconds > 0) await runPoster({ ...direct, seconds: warmupSeconds, label: 'warm' });
      await simulator.admin.reset();
      const baselineRun = await runPoster({ ...direct, seconds: baselineSeconds, label: 'direct' });
      const baseline = await receiptLatencies(simulator.admin, 'direct', accepted(baselineRun));

      log(`gateway: ${rate}/s through API, worker and simulator for ${seconds} s`);
      const [api, worker] = await services;
      const viaApi = { url: `${api.url}/v1/sms`, authorization: `Bearer ${api.apiKey}`, rate };
      if (warmupSeconds > 0) await runPoster({ ...viaApi, seconds: warmupSeconds, label: 'warm' });
      await settleRedis(env.connection);
      await simulator.admin.reset();
      const meter = CpuMeter.start({
        api: api.pid,
        worker: worker.pid,
        redis: env.redisPid,
        simulator: simulator.pid,
      });
      const gatewayRun = await runPoster({ ...viaApi, seconds, label: 'e2e' });
      await waitFor(async () => (await simulator.admin.stats()).recorded >= accepted(gatewayRun), {
        timeoutMs: 120_000,
        intervalMs: 50,
        description: 'every message at the simulator',
      });
      const cpuMicros = meter.read();
      const gateway = await receiptLatencies(simulator.admin, 'e2e', accepted(gatewayRun));

      const figure = (name: string, pick: (p: Percentiles) => number, target?: number) => ({
        figure: `${name} latency at ${rate}/s`,
        value: pick(gateway),
        unit: 'ms',
        baseline: { name: 'straight to simulator', value: pick(baseline) },
        ...(target !== undefined && { target: { on: 'value' as const, op: '<=' as const, limit: target } }),
      });
      const perMessage = Object.fromEntries(
        Object.entries(cpuMicros).map(([name, us]) => [name, us / gateway.count]),
      );
      return {
        figures: [figure('p50', (p) => p.p50), figure('p99', (p) => p.p99, 50), figure('max', (p) => p.max)],
        details: {
          rate,
          seconds,
          gateway: { latencyMs: gateway, poster: gatewayRun },
          baseline: { latencyMs: baseline, poster: baselineRun },
          cpuMicrosPerMessage: perMessage,
        },
      };
    } finally {
      await services.catch(() => {});
      await env.stop();
    }
  },
};
