import {
  metricValue,
  newPrefix,
  type RedisServer,
  startApiProcess,
  startRedisServer,
  startWorkerProcess,
  Teardown,
  waitFor,
} from '@sms/testing';

// Fault: Redis is stopped with SIGSTOP, so that every connection stays open and no command is
//   answered (a stalled Redis that a connection state alone would not show), then continued.
// Load: none; an API and a worker process are scraped directly, as Prometheus would.
// Invariant: each process reports sms_redis_connected{service} 1 while Redis answers, 0 within
//   a few scrapes of the stall, 1 again once Redis answers, and its scrape still answers
//   meanwhile; every scrape adds one PING to sms_redis_command_duration_seconds, an unanswered
//   one with the second waited for it.
const teardown = new Teardown();
let redis: RedisServer;
const scrapes: Record<'api' | 'worker', () => Promise<string>> = {
  api: async () => '',
  worker: async () => '',
};

beforeAll(async () => {
  // A server of its own: the test stalls it.
  redis = teardown.add(await startRedisServer(), (r) => r.stop());
  const prefix = newPrefix();
  // No message is sent, so Kaarai is never called.
  const [api, worker] = await Promise.all([
    startApiProcess({ redisUrl: redis.url, prefix }).then((p) => teardown.add(p, (x) => x.stop())),
    startWorkerProcess({
      redisUrl: redis.url,
      prefix,
      kaaraiUrl: 'https://127.0.0.1:9/api/v1/sms/send',
    }).then((p) => teardown.add(p, (x) => x.stop())),
  ]);
  await worker.ready();
  // Stopping the processes needs Redis running: thaw first, whatever the test left.
  teardown.add(redis, async (r) => r.thaw());
  scrapes.api = async () => (await fetch(`${api.adminUrl}/metrics`)).text();
  scrapes.worker = () => worker.metrics();
}, 60_000);

afterAll(() => teardown.run());

const connected = (text: string, service: string) => metricValue(text, 'sms_redis_connected', { service });
const pings = (text: string) => ({
  count: metricValue(text, 'sms_redis_command_duration_seconds_count') ?? Number.NaN,
  sum: metricValue(text, 'sms_redis_command_duration_seconds_sum') ?? Number.NaN,
});

it.each(['api', 'worker'] as const)(
  'the %s reports Redis reachable, with the round trip of a PING per scrape',
  async (service) => {
    const first = await scrapes[service]();
    const second = await scrapes[service]();
    expect(connected(first, service)).toBe(1);
    expect(connected(second, service)).toBe(1);
    expect(pings(second).count).toBe(pings(first).count + 1);
    // A local Redis answers well within the first buckets.
    expect(pings(second).sum - pings(first).sum).toBeLessThan(0.5);
  },
);

it('both report Redis unreachable while it is stalled, and reachable again once it answers', async () => {
  const before = { api: pings(await scrapes.api()), worker: pings(await scrapes.worker()) };
  redis.freeze();
  for (const service of ['api', 'worker'] as const) {
    let text = '';
    await waitFor(
      async () => {
        text = await scrapes[service]();
        return connected(text, service) === 0;
      },
      { timeoutMs: 20_000, intervalMs: 100, description: `the ${service} to report Redis unreachable` },
    );
    // The unanswered PING counted the second it was waited for (a timer may fire a little early).
    expect(pings(text).sum - before[service].sum).toBeGreaterThan(0.9);
  }
  redis.thaw();
  for (const service of ['api', 'worker'] as const) {
    await waitFor(async () => connected(await scrapes[service](), service) === 1, {
      timeoutMs: 20_000,
      intervalMs: 100,
      description: `the ${service} to report Redis reachable again`,
    });
  }
}, 60_000);
