import {
  dropSyns,
  freePort,
  metricValue,
  postAll,
  type StackOptions,
  startStack,
  synDropUnavailable,
  Teardown,
  uniqueTexts,
  type WorkerProcess,
  waitFor,
} from '@sms/testing';

// Fault: Kaarai cannot be reached: its port refuses connections, or every SYN to it is dropped
//   (a packet drop; needs iptables). For contrast, Kaarai reads every request and never answers.
// Load: 5 messages for a worker with a 500 ms call timeout, retried every few tens of ms.
// Invariant: a call that never got a connection cannot have reached Kaarai, so it is no unknown
//   outcome: `sms_provider_unknown_outcomes_total` stays 0 while the worker retries again and
//   again (`sms_messages_retried_total` by reason). A call Kaarai read and never answered is one,
//   and is counted no more often than Kaarai held a request.
const MESSAGES = 5;
const RETRIES = 10;
const PATH = '/api/v1/sms/send';
const UNKNOWN = 'sms_provider_unknown_outcomes_total';

const teardown = new Teardown();
afterEach(() => teardown.run());

/** A stack whose worker sends to `kaaraiUrl` (the simulator's by default), stopped after the test. */
async function startSender(where: Pick<StackOptions, 'kaaraiUrl'> = {}) {
  const stack = await startStack({
    ...where,
    apiEnv: { SEND_ATTEMPTS: '100' },
    workerEnv: { KAARAI_TIMEOUT_MS: '500' },
  });
  return teardown.add(stack, (it) => it.stop());
}

/** The worker's metrics once it has retried `RETRIES` calls that failed for `reason`. */
function afterRetries(worker: WorkerProcess, reason: string): Promise<string> {
  return waitFor(
    async () => {
      const metrics = await worker.metrics();
      const retried = metricValue(metrics, 'sms_messages_retried_total', { reason }) ?? 0;
      return retried >= RETRIES && metrics;
    },
    { timeoutMs: 30_000, intervalMs: 100, description: `${RETRIES} retries after ${reason}` },
  );
}

it('counts no unknown outcome while Kaarai’s port refuses connections', async () => {
  const closed = await freePort();
  const { api, workers } = await startSender({ kaaraiUrl: `https://127.0.0.1:${closed}${PATH}` });
  await postAll(api, uniqueTexts('refused', MESSAGES));
  const worker = workers[0]!;
  const metrics = await afterRetries(worker, 'connection_failed');
  console.log(
    `Kaarai refuses: ${metricValue(metrics, 'sms_messages_retried_total', { reason: 'connection_failed' })} ` +
      `calls refused and retried, ${metricValue(metrics, UNKNOWN)} counted as unknown outcomes`,
  );
  expect(metricValue(metrics, UNKNOWN)).toBe(0);
  await worker.kill();
}, 60_000);

const noSynDrop = synDropUnavailable();
const packetDrop = 'counts no unknown outcome while every SYN to Kaarai is dropped';
if (noSynDrop === undefined) {
  it(packetDrop, async () => {
    const port = await freePort();
    const drop = teardown.add(dropSyns(port), (it) => it.restore());
    const { api, workers } = await startSender({ kaaraiUrl: `https://127.0.0.1:${port}${PATH}` });
    await postAll(api, uniqueTexts('dropped', MESSAGES));
    const worker = workers[0]!;
    const metrics = await afterRetries(worker, 'connect_timeout');
    console.log(
      `Kaarai unreachable: ${metricValue(metrics, 'sms_messages_retried_total', { reason: 'connect_timeout' })} ` +
        `connect timeouts retried, ${metricValue(metrics, UNKNOWN)} counted as unknown outcomes`,
    );
    expect(metricValue(metrics, UNKNOWN)).toBe(0);
    await worker.kill();
    drop.restore();
  }, 60_000);
} else {
  it.skip(`${packetDrop} (skipped: ${noSynDrop})`, () => {});
}

it('counts as unknown outcomes the calls Kaarai read and never answered', async () => {
  const { api, simulator, workers } = await startSender();
  await simulator.admin.setFaults({ hangRate: 1 });
  await postAll(api, uniqueTexts('hung', MESSAGES));
  const worker = workers[0]!;
  const metrics = await afterRetries(worker, 'timeout');
  const unknown = metricValue(metrics, UNKNOWN) ?? 0;
  const { hung } = await simulator.admin.stats();
  console.log(`Kaarai hangs: ${hung} requests held, ${unknown} counted as unknown outcomes`);
  expect(unknown).toBeGreaterThanOrEqual(RETRIES);
  expect(unknown).toBeLessThanOrEqual(hung);
  await worker.kill();
}, 60_000);
