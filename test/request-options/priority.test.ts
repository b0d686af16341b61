import { mapConcurrently, waitFor } from '@sms/testing';
import { type Gateway, startGateway } from './gateway-fixture';

// Load: 1,500 bulk and 500 normal messages waiting (posted before any worker runs), then one
// high message. Invariant: the worker, once started, sends the high message among its first
// sends (within its concurrency, 8, and a margin), the normal ones before the bulk ones (but for
// the few in flight together), and every message exactly once.
const CONCURRENCY = 8;
let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(async () => {
  await gateway?.stop();
});

it('sends a high message ahead of a backlog of 2,000 normal and bulk ones', async () => {
  const { api, simulator } = gateway;
  const backlog = Array.from({ length: 2_000 }, (_, i) =>
    i % 4 === 0 ? { text: `normal ${i}`, priority: 'normal' } : { text: `bulk ${i}`, priority: 'bulk' },
  );
  await mapConcurrently(backlog, 16, async (message, i) => {
    const res = await api.post('/v1/sms', { to: `57300${1_000_000 + i}`, ...message });
    expect(res.status).toBe(202);
  });
  const high = 'Your code is 424242';
  expect((await api.post('/v1/sms', { to: '573009999999', text: high, priority: 'high' })).status).toBe(202);

  await gateway.startWorker();
  const texts = [...backlog.map((m) => m.text), high];
  await waitFor(async () => (await simulator.admin.stats()).recorded >= texts.length, {
    timeoutMs: 120_000,
    intervalMs: 250,
    description: 'every message to reach the simulator',
  });

  expect(await simulator.admin.tally(texts)).toEqual({
    delivered: 2_001,
    duplicated: [],
    lost: [],
    unexpected: [],
  });
  const received = (await simulator.admin.messages()).map((m) => m.text);
  expect(received.indexOf(high)).toBeLessThan(CONCURRENCY * 2);
  const normalPositions = received.flatMap((text, i) => (text.startsWith('normal') ? [i] : []));
  const bulkBeforeLastNormal = received
    .slice(0, Math.max(...normalPositions))
    .filter((text) => text.startsWith('bulk')).length;
  expect(bulkBeforeLastNormal).toBeLessThan(CONCURRENCY * 2);
}, 240_000);
