/**
 * A status callback given up, end to end: the API and worker processes as deployed, the
 * simulator over HTTPS, and a client's receiver that answers 500 to every post.
 * Fault: the receiver never takes an event. Load: one message that Kaarai refuses once (5030)
 * and then accepts, so it has two events, `retrying` then `accepted`.
 * Invariant: each event is posted exactly CALLBACK_ATTEMPTS times and then given up (counted on
 * the worker's /metrics, kept in the callbacks queue as failed), the second event is still
 * posted after the first is given up, and the message's outbox ends empty.
 */
import { redisKeyPrefix } from '@sms/config';
import { CALLBACK_QUEUE } from '@sms/queue';
import { metricValue, queueJobCounts, waitFor } from '@sms/testing';
import Redis from 'ioredis';
import { type CallbackReceiver, startCallbackReceiver } from './callback-receiver';
import { type CallbackStack, startCallbackStack } from './callback-stack';

const CALLBACK_ATTEMPTS = 2;

let receiver: CallbackReceiver;
let stack: CallbackStack;

beforeAll(async () => {
  receiver = await startCallbackReceiver();
  const callbacks = {
    CALLBACK_ALLOWED_HOSTS: `faults=${receiver.origin}`,
    CALLBACK_ATTEMPTS: String(CALLBACK_ATTEMPTS),
  };
  stack = await startCallbackStack({
    callbacks,
    worker: {
      CALLBACK_SECRETS: 'faults=faults-callback-secret-0123456789',
      CALLBACK_RETRY_BASE_DELAY_MS: '20',
      CALLBACK_RETRY_MAX_DELAY_MS: '50',
    },
  });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
});

const givenUp = async () =>
  metricValue(await stack.worker.metrics(), 'sms_callbacks_total', {
    outcome: 'given_up',
    status_class: '5xx',
    client: 'faults',
  }) ?? 0;

// The message's outbox as `CallbackOutbox` (`@sms/callbacks`) keeps it: one Redis list.
async function outboxLength(messageId: string): Promise<number> {
  const plain = new Redis(stack.redis.url, { maxRetriesPerRequest: 1 });
  try {
    return await plain.llen(`${redisKeyPrefix(stack.prefix)}:callback-outbox:${messageId}`);
  } finally {
    plain.disconnect();
  }
}

it('gives an event up after CALLBACK_ATTEMPTS posts, then posts the next one, and empties the outbox', async () => {
  receiver.fail(Number.POSITIVE_INFINITY, 500);
  await stack.simulator.admin.setFaults({ failNext: 1 });
  const response = await stack.api.post({
    to: '573001234567',
    text: `given up ${Date.now()}`,
    callbackUrl: `${receiver.origin}/hooks/sms`,
  });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };

  const settled = await waitFor(
    async () => {
      const counts = await queueJobCounts(stack.redis.url, stack.prefix, CALLBACK_QUEUE);
      const pending = counts.waiting + counts.active + counts.delayed + counts.prioritized;
      return (
        (await givenUp()) >= 2 &&
        (await outboxLength(id)) === 0 &&
        pending === 0 && { counts, givenUp: await givenUp() }
      );
    },
    { timeoutMs: 30_000, intervalMs: 50, description: `both events of ${id} given up` },
  );

  // In order: the second event only once the first was given up, each posted exactly twice.
  expect(receiver.requests(id).map((r) => [r.event.sequence, r.event.status, r.answered])).toEqual([
    [1, 'retrying', 500],
    [1, 'retrying', 500],
    [2, 'accepted', 500],
    [2, 'accepted', 500],
  ]);
  expect(receiver.delivered(id)).toEqual([]);
  expect(settled.givenUp).toBe(2);
  // Each given-up event's job stays in the failed set, for operators.
  expect(settled.counts.failed).toBe(2);
  // The receiver's failures did not hold the message back.
  expect((await stack.api.status(id)).status).toBe('accepted');
});
