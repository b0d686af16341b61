import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import {
  type ApiProcess,
  mapConcurrently,
  type Stack,
  startStack,
  type TestRedis,
  waitFor,
} from '@sms/testing';

// Fault: SIGTERM reaches an API process while clients on keep-alive connections post to it back
//   to back.
// Load: 8 clients, each on one keep-alive connection of its own, posting messages (each with its
//   own text and Idempotency-Key) without pause, before and after the signal, until the API no
//   longer takes connections; SHUTDOWN_TIMEOUT_MS is 15 s.
// Invariant: the API exits with code 0 well before SHUTDOWN_TIMEOUT_MS (within 5 s); no request
//   it had begun answering is cut off: a request that got no answer, repeated with its
//   Idempotency-Key on another API process, is not a replay (the first never reached Redis);
//   every 202 it gave names a message that the other API process finds.
const CLIENTS = 8;
const SHUTDOWN_TIMEOUT_MS = 15_000;
const EXIT_BOUND_MS = 5_000;

let stack: Stack<TestRedis, undefined>;

beforeAll(async () => {
  stack = await startStack({
    simulator: false,
    workers: 0,
    apiEnv: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) },
  });
}, 60_000);
afterAll(() => stack?.stop());

interface Answer {
  readonly idempotencyKey: string;
  readonly body: string;
  /** 0 when no HTTP answer came. */
  readonly status: number;
  readonly id?: string;
  /** The answer's `Connection` header, or why no answer came (`ECONNREFUSED`, `ECONNRESET`...). */
  readonly connection?: string;
  readonly error?: string;
  /** The request went on a connection that had carried an earlier one. */
  readonly reused: boolean;
  readonly at: number;
}

/** One POST /v1/sms on `agent`'s connection, resolved with what came back, never rejected. */
function postOnce(api: ApiProcess, agent: Agent, idempotencyKey: string, body: string): Promise<Answer> {
  const url = new URL(api.url);
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/v1/sms',
        headers: {
          authorization: `Bearer ${api.apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const { id } = (res.statusCode === 202 ? JSON.parse(text) : {}) as { id?: string };
          resolve({
            idempotencyKey,
            body,
            status: res.statusCode ?? 0,
            ...(id !== undefined && { id }),
            ...(res.headers.connection !== undefined && { connection: res.headers.connection }),
            reused: req.reusedSocket,
            at: performance.now(),
          });
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({
        idempotencyKey,
        body,
        status: 0,
        error: error.code ?? error.message,
        reused: req.reusedSocket,
        at: performance.now(),
      }),
    );
    req.end(body);
  });
}

/**
 * `clients` clients, each posting on one keep-alive connection of its own, back to back, into
 * `answers`; resolves once every client has been refused a connection: the API has stopped
 * listening, so nothing more can reach it.
 */
async function postUntilRefused(api: ApiProcess, clients: number, answers: Answer[]): Promise<void> {
  const run = randomUUID().slice(0, 8);
  let next = 0;
  const client = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (;;) {
        const n = next++;
        const body = JSON.stringify({ to: '573001234567', text: `api sigterm ${run} #${n}` });
        const answer = await postOnce(api, agent, `${run}-${n}`, body);
        answers.push(answer);
        if (answer.error === 'ECONNREFUSED') return;
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
}

it('answers the requests in flight with Connection: close on SIGTERM and exits at once', async () => {
  const { api } = stack;
  // Should the test fail early, the stack's stop ends the API, and with it the posting.
  const answers: Answer[] = [];
  const posting = postUntilRefused(api, CLIENTS, answers);
  await waitFor(() => answers.filter((a) => a.status === 202).length >= 200, {
    timeoutMs: 30_000,
    description: '200 answers 202 before the signal',
  });
  const signalAt = performance.now();
  const stopped = await api.stop('SIGTERM', 60_000);
  await posting;

  const other = await stack.addApi();
  const accepted = answers.filter((a) => a.status === 202);
  const unanswered = answers.filter((a) => a.status === 0);
  const afterSignal = answers.filter((a) => a.at > signalAt && a.status !== 0);
  const missing = (
    await mapConcurrently(accepted, 16, async (a) => ((await other.get(`/v1/sms/${a.id}`)).ok ? [] : [a.id]))
  ).flat();
  // A repeat that is a replay means the first request had claimed its key in Redis: the API had
  // begun answering it when the connection was cut.
  const cutOff = (
    await mapConcurrently(unanswered, 16, async (a) => {
      const repeat = await fetch(`${other.url}/v1/sms`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${other.apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': a.idempotencyKey,
        },
        body: a.body,
      });
      await repeat.arrayBuffer();
      return repeat.headers.get('idempotency-replayed') === 'true'
        ? [`${a.idempotencyKey} (${a.error})`]
        : [];
    })
  ).flat();
  const errors = new Map<string, number>();
  for (const a of unanswered) errors.set(a.error!, (errors.get(a.error!) ?? 0) + 1);
  console.log(
    `api SIGTERM: exit code ${stopped.code} after ${stopped.elapsedMs} ms (SHUTDOWN_TIMEOUT_MS ` +
      `${SHUTDOWN_TIMEOUT_MS}); ${answers.length} requests, ${accepted.length} answered 202, ` +
      `${afterSignal.length} answered after the signal (${afterSignal.filter((a) => a.connection === 'close').length} ` +
      `with Connection: close); no answer: ${JSON.stringify(Object.fromEntries(errors))}; ` +
      `cut off after reaching Redis: ${cutOff.length}; 202s not found: ${missing.length}`,
  );
  expect(stopped).toMatchObject({ code: 0, signal: null });
  expect(stopped.elapsedMs).toBeLessThan(EXIT_BOUND_MS);
  expect(afterSignal.length).toBeGreaterThan(0);
  expect(cutOff).toEqual([]);
  expect(missing).toEqual([]);
}, 120_000);
