import { randomUUID } from 'node:crypto';
import { StatusStore } from '@sms/status-store';
import { startRedis, type TestRedis } from '@sms/testing';
import Redis from 'ioredis';
import { SendingGate } from '../src/sending-gate';

// Fault: a client cancels a message at the moment a worker is admitted to send it, 500 times,
// each side on a connection of its own. Invariant: for every message exactly one side wins:
// the admission (the record says `sending`, the cancel is refused) or the cancel (the record
// says `canceled`, the admission is refused); never both, never neither.
let server: TestRedis;
let workerSide: Redis;
let clientSide: Redis;

beforeAll(async () => {
  server = await startRedis();
  [workerSide, clientSide] = [new Redis(server.url), new Redis(server.url)];
});
afterAll(async () => {
  workerSide?.disconnect();
  clientSide?.disconnect();
  await server?.stop();
});

it('lets either the admission or the cancel of a message win, never both', async () => {
  const prefix = `c${randomUUID().slice(0, 8)}`;
  const gate = new SendingGate(workerSide, {
    prefix,
    holdProbeIntervalMs: 30_000,
    circuit: { failureRatio: 0.5, minCalls: 20, windowMs: 10_000, openMs: 5_000 },
    probeLeaseMs: 2_000,
  });
  const workerStore = new StatusStore(workerSide, { prefix });
  const clientStore = new StatusStore(clientSide, { prefix });
  const identity = { client: 'billing', to: '5730******67', createdAt: Date.now() };
  const ids = Array.from({ length: 500 }, (_, i) => `m${i}`);

  const admit = (id: string) =>
    gate.admit(workerStore.claimUnlessFinal(id, { status: 'sending', attempts: 1, ...identity }));
  const cancel = (id: string) => clientStore.cancel(id, identity);
  // Both scripts loaded first, so that neither side pays for it in the race.
  await Promise.all([admit('warm-up-1'), cancel('warm-up-2')]);

  // One message at a time, the two sides sent in the same tick, either one first by turns.
  const outcomes: { id: string; admitted: boolean; canceled: boolean }[] = [];
  for (const [i, id] of ids.entries()) {
    const [admission, cancellation] =
      i % 2 === 0
        ? await Promise.all([admit(id), cancel(id)])
        : await Promise.all([cancel(id), admit(id)]).then(([c, a]) => [a, c] as const);
    outcomes.push({ id, admitted: admission.kind === 'send', canceled: cancellation.canceled });
  }

  expect(outcomes.filter((o) => o.admitted === o.canceled)).toEqual([]);
  // Each side won some: the order of arrival decides, not the kind of request.
  expect([outcomes.some((o) => o.admitted), outcomes.some((o) => o.canceled)]).toEqual([true, true]);
  for (const { id, admitted } of outcomes) {
    expect([id, (await clientStore.read(id))?.status]).toEqual([id, admitted ? 'sending' : 'canceled']);
  }
});
