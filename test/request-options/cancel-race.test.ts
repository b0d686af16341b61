import { mapConcurrently, waitFor } from '@sms/testing';
import { type Gateway, startGateway } from './gateway-fixture';

// Fault: clients cancel messages while a worker takes them. Load: 400 queued messages; a worker
// (concurrency 8, Kaarai answering after 10 ms) drains them oldest first while a DELETE goes
// out for every one of them, newest first, 16 at a time, so that the two meet in the middle.
// Invariant: no message is both canceled (200) and received by Kaarai; every one ends either
// `canceled` and never received, or refused too late (409) and received exactly once.
const COUNT = 400;
let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(async () => {
  await gateway?.stop();
});

it('never both cancels and sends a message, with cancels racing a draining worker', async () => {
  const { api, simulator } = gateway;
  const texts = Array.from({ length: COUNT }, (_, i) => `race ${i} ${Date.now()}`);
  const ids = await mapConcurrently(texts, 16, async (text, i) => {
    const res = await api.post('/v1/sms', { to: `57300${1_000_000 + i}`, text });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  });

  await simulator.admin.setFaults({ latencyMs: 10 });
  await gateway.startWorker();
  await waitFor(async () => (await simulator.admin.stats()).recorded > 0, {
    description: 'the worker to be sending',
  });
  const answers = await mapConcurrently([...ids.entries()].reverse(), 16, async ([i, id]) => {
    const res = await gateway.cancel(id);
    const body = (await res.json()) as { code?: number; status?: string };
    return { i, status: res.status, code: body.code ?? body.status };
  });

  const canceled = answers.filter((a) => a.status === 200).map((a) => a.i);
  const tooLate = answers.filter((a) => a.status === 409).map((a) => a.i);
  expect(answers.filter((a) => a.status !== 200 && a.status !== 409)).toEqual([]);
  expect(answers.filter((a) => a.status === 409 && a.code !== 4091 && a.code !== 4092)).toEqual([]);
  // The race happened: some messages were taken first, some canceled first.
  expect(canceled.length).toBeGreaterThan(0);
  expect(tooLate.length).toBeGreaterThan(0);

  const statuses = await waitFor(
    async () => {
      const all = await Promise.all(
        ids.map(async (id) => ((await (await api.get(`/v1/sms/${id}`)).json()) as { status: string }).status),
      );
      return all.every((s) => s === 'canceled' || s === 'accepted') ? all : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200, description: 'every message to be canceled or accepted' },
  );
  const counts = await simulator.admin.countBy('text');
  for (const i of canceled)
    expect([texts[i], statuses[i], counts.get(texts[i]!) ?? 0]).toEqual([texts[i], 'canceled', 0]);
  for (const i of tooLate)
    expect([texts[i], statuses[i], counts.get(texts[i]!)]).toEqual([texts[i], 'accepted', 1]);
  // Jobs of canceled messages are gone, or finished by the worker without sending.
  await waitFor(
    async () =>
      Object.values(await api.queue.getJobCounts('wait', 'active', 'delayed', 'prioritized')).every(
        (n) => n === 0,
      ),
    { description: 'the send queue to be empty' },
  );
}, 180_000);
