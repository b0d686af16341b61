import { waitFor } from '@sms/testing';
import { fillBacklog } from '../harness/fill-backlog';
import { accepted, receiptLatencies } from '../harness/receipt-latencies';
import { settleRedis } from '../harness/settle-redis';
import { runPoster } from '../load/run-steady-poster';
import type { Scenario } from '../scenario';

/**
 * `high` messages posted through the API at a steady rate while a large backlog of `bulk` ones
 * waits and the worker sends at its rate limit (RATE_LIMIT_PER_SECOND, below what it could send):
 * the latency of each high message from the client's send to the simulator's receipt. The queue
 * places high at the head of the wait list and bulk in the prioritized set, so a high message is
 * the next one taken; what it waits for is the worker's next turn under the limiter.
 */
export const priorityUnderBacklog: Scenario = {
  name: 'priority',
  title: 'High-priority latency behind a bulk backlog at the rate limit',
  run: async ({ sizes, log, environment }) => {
    const { bulk, rateLimitPerSecond, highPerSecond, seconds } = sizes.priority;
    const env = await environment();
    try {
      const { simulator } = env;
      log(`${bulk} bulk messages waiting; one worker limited to ${rateLimitPerSecond}/s`);
      await fillBacklog(env.connection, env.prefix, bulk, 'bulk', 'bulk');
      await settleRedis(env.connection);
      const [api] = await Promise.all([
        env.startApi(),
        env.startWorker({ env: { RATE_LIMIT_PER_SECOND: String(rateLimitPerSecond) } }),
      ]);
      // A second at the limit before measuring: the limiter's window is running.
      await waitFor(async () => (await simulator.admin.stats()).recorded >= rateLimitPerSecond, {
        timeoutMs: 60_000,
        intervalMs: 50,
        description: 'the worker to send at its limit',
      });
      log(`high: ${highPerSecond}/s through the API for ${seconds} s`);
      const before = (await simulator.admin.stats()).recorded;
      const started = performance.now();
      const startedAt = Date.now();
      const posted = await runPoster({
        url: `${api.url}/v1/sms`,
        authorization: `Bearer ${api.apiKey}`,
        rate: highPerSecond,
        seconds,
        label: 'high',
        priority: 'high',
      });
      const high = await receiptLatencies(simulator.admin, 'high', accepted(posted));
      const sentPerSecond =
        ((await simulator.admin.stats()).recorded - before) / ((performance.now() - started) / 1000);
      const stillWaiting = bulk + accepted(posted) - (await simulator.admin.stats()).recorded;
      const pauses = sendingPauses(await simulator.admin.messages(), startedAt, startedAt + seconds * 1000);
      if (stillWaiting <= 0)
        throw new Error('the bulk backlog ran out before the end: the limit did not bind');
      const figure = (name: string, value: number, target?: number) => ({
        figure: `high ${name} latency, bulk waiting`,
        value,
        unit: 'ms',
        ...(target !== undefined && { target: { on: 'value' as const, op: '<=' as const, limit: target } }),
      });
      return {
        figures: [
          figure('p50', high.p50),
          figure('p99', high.p99, 100),
          figure('max', high.max),
          {
            figure: 'longest pause between two sends',
            value: pauses.longestMs,
            unit: 'ms',
          },
          {
            figure: 'sent/s during the run',
            value: sentPerSecond,
            unit: 'msg/s',
            baseline: { name: 'RATE_LIMIT_PER_SECOND', value: rateLimitPerSecond },
          },
        ],
        details: {
          bulk,
          rateLimitPerSecond,
          highPerSecond,
          seconds,
          high,
          posted,
          sentPerSecond,
          bulkStillWaiting: stillWaiting,
          pauses,
        },
      };
    } finally {
      await env.stop();
    }
  },
};

/**
 * The gaps between consecutive receipts at the simulator (bulk and high alike) while the high
 * messages were posted: how long the worker sat idle under its limiter with messages waiting.
 */
function sendingPauses(messages: readonly { readonly receivedAt: string }[], from: number, to: number) {
  const times = messages
    .map((message) => Date.parse(message.receivedAt))
    .filter((at) => at >= from && at <= to)
    .sort((a, b) => a - b);
  const gaps = times.slice(1).map((at, i) => at - times[i]!);
  const seconds = (to - from) / 1000;
  return {
    longestMs: Math.max(0, ...gaps),
    over50msPerSecond: gaps.filter((gap) => gap > 50).length / seconds,
    idleShare: gaps.filter((gap) => gap > 50).reduce((sum, gap) => sum + gap, 0) / (to - from),
  };
}
