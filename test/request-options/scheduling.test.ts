import { waitFor } from '@sms/testing';
import { type Gateway, startGateway } from './gateway-fixture';

// Messages with a sendAt a few seconds ahead, through the API, a running worker and the
// simulator. Invariant: a scheduled message reads `scheduled` at once, reaches Kaarai not
// before its sendAt and soon after it; a canceled one never reaches Kaarai.
let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway();
  await gateway.startWorker();
});
afterAll(async () => {
  await gateway?.stop();
});

const statusOf = async (id: string) =>
  (await (await gateway.api.get(`/v1/sms/${id}`)).json()) as Record<string, unknown>;
const receivedAt = async (text: string) => {
  const message = (await gateway.simulator.admin.messages()).find((m) => m.text === text);
  return message && Date.parse(message.receivedAt);
};

async function schedule(text: string, inMs: number): Promise<{ id: string; sendAt: number }> {
  const sendAt = Date.now() + inMs;
  const res = await gateway.api.post('/v1/sms', {
    to: '573001234567',
    text,
    sendAt: new Date(sendAt).toISOString(),
  });
  expect(res.status).toBe(202);
  const body = (await res.json()) as { id: string; status: string };
  expect(body.status).toBe('scheduled');
  return { id: body.id, sendAt };
}

it('sends a scheduled message at its sendAt: not before, and within two seconds after', async () => {
  const text = `scheduled ${Date.now()}`;
  const { id, sendAt } = await schedule(text, 2_500);
  expect(await statusOf(id)).toMatchObject({ status: 'scheduled', sendAt: new Date(sendAt).toISOString() });

  const at = await waitFor(() => receivedAt(text), {
    timeoutMs: 20_000,
    intervalMs: 50,
    description: 'the scheduled message to reach the simulator',
  });
  expect(at).toBeGreaterThanOrEqual(sendAt);
  expect(at - sendAt).toBeLessThan(2_000);
  await waitFor(async () => (await statusOf(id)).status === 'accepted', {
    description: 'the message to be accepted',
  });
  expect(await gateway.simulator.admin.tally([text])).toMatchObject({ delivered: 1, duplicated: [] });
});

it('never sends a scheduled message canceled before its time', async () => {
  const canceledText = `canceled ${Date.now()}`;
  const laterText = `sent after it ${Date.now()}`;
  const canceled = await schedule(canceledText, 1_500);
  const later = await schedule(laterText, 2_500);
  const res = await gateway.cancel(canceled.id);
  expect(res.status).toBe(200);

  // The worker has passed the canceled message's time once it sends the later one.
  await waitFor(() => receivedAt(laterText), {
    timeoutMs: 20_000,
    description: 'the later message to be sent',
  });
  expect(await gateway.simulator.admin.tally([canceledText])).toMatchObject({
    delivered: 0,
    lost: [canceledText],
  });
  expect(await statusOf(canceled.id)).toMatchObject({ status: 'canceled', attempts: 0 });
  expect(await statusOf(later.id)).toMatchObject({ status: expect.stringMatching(/^(sending|accepted)$/) });
});
