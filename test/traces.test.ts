import {
  type OtlpReceiver,
  type ReceivedSpan,
  type Stack,
  startOtlpReceiver,
  startStack,
  waitFor,
} from '@sms/testing';

// The API and a worker as processes, exporting to an OTLP/HTTP receiver of the test's own: one
// trace per message, from the request through each attempt to each call to Kaarai, parents as
// docs/observability.md ("Traces") draws them; a caller's traceparent is honoured; a retried
// message's attempts stay in its trace.
let receiver: OtlpReceiver;
let stack: Stack;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' };
  stack = await startStack({ apiEnv: tracing, workerEnv: tracing });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
});

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

async function send(headers: Record<string, string> = {}): Promise<string> {
  const res = await stack.api.post({ to: '573001234567', text: `traced ${Date.now()}` }, headers);
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

/** The spans of `id`'s trace once `done` says they are all there. */
async function traceOf(id: string, done: (spans: readonly ReceivedSpan[]) => boolean) {
  return waitFor(
    () => {
      const enqueue = receiver.spans.find(
        (s) => s.name === 'enqueue' && s.attributes['sms.message_id'] === id,
      );
      const spans = enqueue ? receiver.spans.filter((s) => s.traceId === enqueue.traceId) : [];
      return enqueue && done(spans) ? { enqueue, spans } : undefined;
    },
    { timeoutMs: 20_000, description: `the spans of ${id}` },
  );
}

const named = (spans: readonly ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);
const done = (spans: readonly ReceivedSpan[], attempts: number) =>
  named(spans, 'POST /v1/sms').length === 1 &&
  named(spans, 'kaarai send').length === attempts &&
  named(spans, 'process').filter((s) => s.attributes['sms.outcome'] !== 'error').length === attempts;

it('puts the request, its enqueue, the attempt and its call to Kaarai in one trace', async () => {
  const id = await send();
  const { enqueue, spans } = await traceOf(id, (spans) => done(spans, 1));
  const [request] = named(spans, 'POST /v1/sms');
  const [process] = named(spans, 'process');
  const [call] = named(spans, 'kaarai send');

  expect(request).toMatchObject({ service: 'sms-api', kind: SERVER });
  expect(request!.parentSpanId).toBeUndefined();
  expect(request!.attributes).toMatchObject({
    'http.request.method': 'POST',
    'http.route': '/v1/sms',
    'http.response.status_code': 202,
    'sms.client': 'faults',
    'sms.code': 2020,
    'sms.message_id': [id],
  });
  expect(enqueue).toMatchObject({ service: 'sms-api', kind: PRODUCER, parentSpanId: request!.spanId });
  expect(process).toMatchObject({ service: 'sms-worker', kind: CONSUMER, parentSpanId: enqueue.spanId });
  expect(process!.attributes).toMatchObject({
    'sms.message_id': id,
    'sms.attempt': 1,
    'sms.outcome': 'success',
  });
  expect(call).toMatchObject({ service: 'sms-worker', kind: CLIENT, parentSpanId: process!.spanId });
  expect(call!.attributes).toMatchObject({
    'http.response.status_code': 202,
    'sms.kaarai.code': 2020,
    'sms.kaarai.action': 'succeed',
  });
});

it("makes the request's span a child of the caller's traceparent", async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const callerSpanId = '00f067aa0ba902b7';
  const id = await send({ traceparent: `00-${traceId}-${callerSpanId}-01` });
  const { spans } = await traceOf(id, (spans) => done(spans, 1));
  const [request] = named(spans, 'POST /v1/sms');
  expect(request).toMatchObject({ traceId, parentSpanId: callerSpanId });
  expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
});

it("keeps every attempt of a retried message in the request's trace, each a child of the enqueue", async () => {
  await stack.simulator.admin.setFaults({ failNext: 1 });
  const id = await send();
  const { enqueue, spans } = await traceOf(id, (spans) => done(spans, 2));
  const attempts = named(spans, 'process').sort(
    (a, b) => Number(a.attributes['sms.attempt']) - Number(b.attributes['sms.attempt']),
  );
  expect(
    attempts.map((s) => [s.parentSpanId, s.attributes['sms.attempt'], s.attributes['sms.outcome']]),
  ).toEqual([
    [enqueue.spanId, 1, 'retry'],
    [enqueue.spanId, 2, 'success'],
  ]);
  expect(attempts[0]!.statusCode).toBe(2);
  const calls = named(spans, 'kaarai send');
  const codeOfCallIn = (attempt: ReceivedSpan) =>
    calls.find((call) => call.parentSpanId === attempt.spanId)?.attributes['sms.kaarai.code'];
  expect(attempts.map(codeOfCallIn)).toEqual([5030, 2020]);
});

it("puts a batch's messages under its one enqueue span, each message's attempt a child of it", async () => {
  const res = await fetch(`${stack.api.url}/v1/sms/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.api.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      messages: [
        { to: '573001234567', text: `batch one ${Date.now()}` },
        { to: '573001234568', text: `batch two ${Date.now()}` },
      ],
    }),
  });
  expect(res.status).toBe(202);
  const ids = ((await res.json()) as { messages: { id: string }[] }).messages.map((m) => m.id);
  const { spans } = await waitFor(
    () => {
      const enqueue = receiver.spans.find(
        (s) => s.name === 'enqueue' && JSON.stringify(s.attributes['sms.message_id']) === JSON.stringify(ids),
      );
      const spans = enqueue ? receiver.spans.filter((s) => s.traceId === enqueue.traceId) : [];
      const settled =
        named(spans, 'POST /v1/sms/batch').length === 1 &&
        named(spans, 'process').filter((s) => s.attributes['sms.outcome'] === 'success').length === 2;
      return enqueue && settled ? { enqueue, spans } : undefined;
    },
    { timeoutMs: 20_000, description: 'the spans of the batch' },
  );
  const [request] = named(spans, 'POST /v1/sms/batch');
  const [enqueue] = named(spans, 'enqueue');
  expect(request!.attributes['sms.message_id']).toEqual(ids);
  expect(enqueue!.parentSpanId).toBe(request!.spanId);
  const attempts = named(spans, 'process');
  expect(attempts.map((s) => s.attributes['sms.message_id']).sort()).toEqual([...ids].sort());
  expect(attempts.every((s) => s.parentSpanId === enqueue!.spanId)).toBe(true);
});

it("starts a trace at Kaarai's own entry, the request a parent of its message's enqueue", async () => {
  const res = await fetch(`${stack.api.url}/kaarai/api/v1/sms/send`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`faults:${stack.api.apiKey}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ to: '573001234567', text: `traced kaarai ${Date.now()}` }),
  });
  expect(res.status).toBe(202);
  const id = res.headers.get('location')?.split('/').pop() ?? '';
  const route = '/kaarai/api/v1/sms/send';
  const { enqueue, spans } = await traceOf(
    id,
    (spans) => named(spans, `POST ${route}`).length === 1 && named(spans, 'kaarai send').length === 1,
  );
  const [request] = named(spans, `POST ${route}`);
  expect(request).toMatchObject({ service: 'sms-api', kind: SERVER });
  expect(request!.attributes).toMatchObject({ 'http.route': route, 'sms.message_id': [id] });
  expect(enqueue.parentSpanId).toBe(request!.spanId);
});
