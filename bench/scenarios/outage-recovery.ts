import { waitFor } from '@sms/testing';
import { parsePostedText, startPoster } from '../load/run-steady-poster';
import type { Scenario } from '../scenario';

/**
 * Kaarai down for a while (the simulator answers every send 503/5030) while clients keep posting
 * through the API at a steady rate; one worker with a global rate limit (RATE_LIMIT_PER_SECOND)
 * and otherwise production settings (retry backoff, circuit breaker). Measured: from the end of
 * the outage to the last message received, against the floor the rate limit sets, backlog /
 * limit. Posting stops when the outage ends, so the floor is exact.
 */
export const outageRecovery: Scenario = {
  name: 'recovery',
  title: 'Recovery after a Kaarai outage',
  run: async ({ sizes, log, environment }) => {
    const { outageSeconds, arrivalPerSecond, rateLimitPerSecond } = sizes.recovery;
    const env = await environment();
    try {
      const { simulator } = env;
      const [api] = await Promise.all([
        env.startApi(),
        env.startWorker({ env: { RATE_LIMIT_PER_SECOND: String(rateLimitPerSecond) } }),
      ]);
      // A first message proves the path works before the outage.
      const first = await api.post({ to: '573001234567', text: 'before the outage' });
      if (first.status !== 202) throw new Error(`POST answered ${first.status}`);
      await waitFor(async () => (await simulator.admin.stats()).recorded >= 1, { timeoutMs: 30_000 });
      await simulator.admin.reset();

      log(
        `outage of ${outageSeconds} s, ${arrivalPerSecond}/s posted meanwhile, limit ${rateLimitPerSecond}/s`,
      );
      const poster = await startPoster({
        url: `${api.url}/v1/sms`,
        authorization: `Bearer ${api.apiKey}`,
        rate: arrivalPerSecond,
        seconds: outageSeconds,
        label: 'outage',
      });
      try {
        const faults = await simulator.admin.setFaults({ outageMs: outageSeconds * 1000 });
        const outageEnd = Date.parse(faults.outageUntil!);
        poster.go();
        const posted = await poster.result();
        const accepted = posted.statuses['202'] ?? 0;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageEnd - Date.now())));
        const deliveredDuringOutage = (await simulator.admin.stats()).recorded;
        const backlog = accepted - deliveredDuringOutage;
        log(`backlog of ${backlog} at the end of the outage; draining`);
        const floorSeconds = backlog / rateLimitPerSecond;
        await waitFor(async () => (await simulator.admin.stats()).recorded >= accepted, {
          timeoutMs: Math.max(120_000, floorSeconds * 10_000),
          intervalMs: 100,
          description: `${accepted} messages at the simulator after the outage`,
        });
        const received = (await simulator.admin.messages())
          .filter((message) => parsePostedText(message.text, 'outage') !== undefined)
          .map((message) => ({ text: message.text, at: Date.parse(message.receivedAt) }));
        const times = received.map((message) => message.at).sort((a, b) => a - b);
        const drainSeconds = (times[times.length - 1]! - outageEnd) / 1000;
        const firstAfterSeconds = ((times.find((at) => at >= outageEnd) ?? outageEnd) - outageEnd) / 1000;
        const distinct = new Set(received.map((message) => message.text)).size;
        return {
          figures: [
            {
              figure: `drain after ${outageSeconds} s outage`,
              value: drainSeconds,
              unit: 's',
              baseline: { name: `floor: ${backlog} / ${rateLimitPerSecond} per s`, value: floorSeconds },
            },
          ],
          details: {
            outageSeconds,
            arrivalPerSecond,
            rateLimitPerSecond,
            posted,
            accepted,
            deliveredDuringOutage,
            backlog,
            floorSeconds,
            drainSeconds,
            firstDeliveryAfterOutageSeconds: firstAfterSeconds,
            received: received.length,
            duplicates: received.length - distinct,
            lost: accepted - distinct,
          },
        };
      } finally {
        await poster.stop();
      }
    } finally {
      await env.stop();
    }
  },
};
