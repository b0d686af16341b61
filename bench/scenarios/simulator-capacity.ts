import { measureWorkerDrain } from '../harness/measure-worker-drain';
import { runAutocannon } from '../load/run-autocannon';
import type { Scenario } from '../scenario';

/**
 * What the Kaarai simulator serves with autocannon straight at it (Basic auth, JSON, every
 * message recorded), against what one gateway worker sends: the simulator must be far from the
 * bottleneck of the delivery figures. The worker's rate is the delivery scenario's when it ran
 * in the same run, else measured here on a smaller backlog.
 */
export const simulatorCapacity: Scenario = {
  name: 'capacity',
  title: 'Kaarai simulator capacity',
  run: async ({ sizes, log, earlier, environment }) => {
    const { connections, warmupSeconds, seconds, workerMessages } = sizes.capacity;
    const env = await environment();
    try {
      const { simulator } = env;
      const fromDelivery = earlier
        .get('delivery')
        ?.figures.find((figure) => figure.figure === 'delivered/s')?.value;
      let workerRate = fromDelivery;
      if (workerRate === undefined) {
        log(`worker rate: ${workerMessages} messages`);
        workerRate = (await measureWorkerDrain(env, workerMessages)).messagesPerSecond;
      }
      log(`autocannon at the simulator: ${connections} connections, ${seconds} s`);
      await simulator.admin.reset();
      const run = await runAutocannon(
        {
          url: simulator.url,
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from('gateway:secret').toString('base64')}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ to: '573001234567', text: 'Your verification code is 482913' }),
          connections,
          warmupSeconds,
          durationSeconds: seconds,
        },
        { simulator: simulator.pid },
      );
      return {
        figures: [
          {
            figure: 'simulator requests/s',
            value: run.okPerSecond,
            unit: 'req/s',
            baseline: {
              name: fromDelivery === undefined ? 'one worker, measured here' : 'one worker (delivery)',
              value: workerRate,
            },
            target: { on: 'ratio', op: '>=', limit: 5 },
          },
        ],
        details: {
          load: run.load,
          simulatorCpuMicrosPerRequest: (run.cpuMicros.simulator ?? 0) / run.load.ok,
          workerMessagesPerSecond: workerRate,
          workerRateFrom: fromDelivery === undefined ? 'measured here' : 'delivery scenario',
        },
      };
    } finally {
      await env.stop();
    }
  },
};
