import { join } from 'node:path';
import { freePort } from '@sms/testing';
import { spawnBenchChild } from '../harness/bench-child';
import { settleRedis } from '../harness/settle-redis';
import type { AutocannonJob } from '../load/autocannon-job';
import { combineRuns } from '../load/combine-runs';
import { type MeasuredLoad, runAutocannon } from '../load/run-autocannon';
import type { Scenario } from '../scenario';

// A typical one-time-password message, as a client sends it.
const BODY = JSON.stringify({ to: '+573001234567', text: 'Your verification code is 482913' });

/**
 * POST /v1/sms through the real API process (authentication, validation, enqueue into Redis,
 * metrics, the info log line), against a bare Express 5 app in its own process that only parses
 * the same body and answers 202: the same load from autocannon in a third process, the two
 * targets alternated round by round.
 */
export const acceptThroughput: Scenario = {
  name: 'accept',
  title: 'Accept throughput (POST /v1/sms)',
  run: async ({ sizes, log, profileDir, environment }) => {
    const { connections, warmupSeconds, seconds, rounds } = sizes.accept;
    const job = (url: string, headers: Record<string, string>, round: number): AutocannonJob => ({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: BODY,
      connections,
      warmupSeconds: round === 0 ? warmupSeconds : 0,
      durationSeconds: seconds,
    });
    const env = await environment();
    const port = await freePort();
    const bare = spawnBenchChild('baseline/bare-express.ts', ['--port', String(port)]);
    try {
      const [api] = await Promise.all([
        env.startApi(profileDir === undefined ? {} : { cpuProfileDir: join(profileDir, 'api') }),
        bare.next('ready', 60_000),
      ]);
      const bareUrl = `http://127.0.0.1:${port}/v1/sms`;
      const apiHeaders = { authorization: `Bearer ${api.apiKey}` };
      const baselineRuns: MeasuredLoad[] = [];
      const gatewayRuns: MeasuredLoad[] = [];
      for (let round = 0; round < rounds; round++) {
        log(
          `round ${round + 1} of ${rounds}: bare Express 5, then the API, ${connections} connections, ${seconds} s each`,
        );
        baselineRuns.push(await runAutocannon(job(bareUrl, {}, round), { server: bare.pid }));
        await settleRedis(env.connection);
        gatewayRuns.push(
          await runAutocannon(job(`${api.url}/v1/sms`, apiHeaders, round), {
            api: api.pid,
            redis: env.redisPid,
          }),
        );
      }
      await api.stop();
      const baseline = combineRuns(baselineRuns, 'server');
      const gateway = combineRuns(gatewayRuns, 'api');
      return {
        figures: [
          {
            figure: 'accepted/s',
            value: gateway.okPerSecond,
            unit: 'req/s',
            baseline: { name: 'bare Express', value: baseline.okPerSecond },
            target: { on: 'ratio', op: '>=', limit: 0.85 },
          },
          {
            figure: 'p50 latency',
            value: gateway.p50,
            unit: 'ms',
            baseline: { name: 'bare Express', value: baseline.p50 },
          },
          {
            figure: 'p99 latency',
            value: gateway.p99,
            unit: 'ms',
            baseline: { name: 'bare Express', value: baseline.p99 },
          },
          {
            figure: 'API CPU per message',
            value: gateway.cpuPerOk,
            unit: 'µs',
            baseline: { name: 'bare Express', value: baseline.cpuPerOk },
          },
        ],
        details: {
          connections,
          seconds,
          rounds,
          gateway: gatewayRuns.map((run) => run.load),
          baseline: baselineRuns.map((run) => run.load),
          cpuMicrosPerMessage: {
            api: gateway.cpuPerOk,
            redis: combineRuns(gatewayRuns, 'redis').cpuPerOk,
            bareExpress: baseline.cpuPerOk,
          },
        },
      };
    } finally {
      await bare.stop();
      await env.stop();
    }
  },
};
