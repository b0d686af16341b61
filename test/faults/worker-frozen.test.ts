import { redisKeyPrefix } from '@sms/config';
import { SMS_QUEUE } from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import {
  finalStatuses,
  isFinal,
  queueDrained,
  type Stack,
  startStack,
  uniqueTexts,
  waitFor,
} from '@sms/testing';
import Redis from 'ioredis';

// Fault: one of two worker processes is frozen with SIGSTOP for 12 s, more than twice its job
//   lock (JOB_LOCK_MS 5 s), while it has sends in flight (Kaarai answers after 500 ms); the
//   other worker takes its stalled jobs; then the frozen one gets SIGCONT and its timers and
//   replies all arrive at once.
// Load: 500 messages posted at 50 a second, the freeze starting 3 s in; concurrency 16 each.
// Invariant: every message ends final and can be looked up; none is lost; a message is sent
//   twice only if it was in the frozen worker's hands at the freeze (at most its concurrency);
//   no final status is ever rewritten (statuses are read every 200 ms throughout: once final, a
//   message's status never changes), and the resumed worker writes nothing for jobs it lost.
const MESSAGES = 500;
const RATE = 50;
const CONCURRENCY = 16;
const FROZEN_MS = 12_000;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    workers: 2,
    // The frozen worker's Kaarai timeouts (4 s) have passed when it resumes: its timers fire
    // before it reads the replies that came meanwhile.
    workerEnv: { WORKER_CONCURRENCY: String(CONCURRENCY), JOB_LOCK_MS: '5000', KAARAI_TIMEOUT_MS: '4000' },
  });
}, 60_000);
afterAll(() => stack?.stop());

it('keeps every final status and sends twice at most what the frozen worker held', async () => {
  const { redis, simulator, api, prefix } = stack;
  const [frozen] = stack.workers;
  await simulator.admin.setFaults({ latencyMs: 500 });

  // Every record seen, in order, for each message (its status and when it was written): once
  // final, a record must never change, not even to the same status.
  const connection = stack.onStop(new Redis(redis.url), (it) => it.disconnect());
  const store = new StatusStore(connection, { prefix: redisKeyPrefix(prefix) });
  const ids: string[] = [];
  const seen = new Map<string, { status: string; updatedAt: string | null }[]>();
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const batch = [...ids];
      const results =
        (await connection
          .pipeline(batch.map((id) => ['hmget', store.key(id), 'status', 'updatedAt']))
          .exec()) ?? [];
      results.forEach(([, fields], i) => {
        const [status, updatedAt] = fields as [string | null, string | null];
        if (status === null) return;
        const history = seen.get(batch[i]!) ?? [];
        const last = history[history.length - 1];
        if (last?.status !== status || last.updatedAt !== updatedAt) history.push({ status, updatedAt });
        seen.set(batch[i]!, history);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();

  const texts = uniqueTexts('frozen', MESSAGES);
  const started = Date.now();
  let frozenAt = 0;
  let thawed = false;
  const thaw = () => {
    if (!thawed) process.kill(frozen!.pid, 'SIGCONT');
    thawed = true;
  };
  try {
    for (const [i, text] of texts.entries()) {
      // Paced from the start, not from the last answer, so that the rate holds when answers are slow.
      const due = started + (i * 1_000) / RATE;
      if (Date.now() < due) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      if (frozenAt === 0 && Date.now() - started >= 3_000) {
        process.kill(frozen!.pid, 'SIGSTOP');
        frozenAt = Date.now();
      }
      if (frozenAt > 0 && Date.now() - frozenAt >= FROZEN_MS) thaw();
      const response = await api.post({ to: '573001234567', text });
      const body = (await response.json()) as { id?: string };
      expect(response.status).toBe(202);
      ids.push(body.id!);
    }
    await waitFor(() => Date.now() - frozenAt >= FROZEN_MS, {
      timeoutMs: FROZEN_MS + 5_000,
      intervalMs: 100,
    });
  } finally {
    thaw();
  }

  await queueDrained(redis.url, prefix, SMS_QUEUE, 90_000);
  // A message left non-final fails below, counted, rather than here.
  const statuses = await finalStatuses(api, ids, 30_000).catch(() => new Map<string, string>());
  // Some time for late writes of the resumed worker to show, had it made any.
  await waitFor(() => Date.now() - frozenAt >= FROZEN_MS + 5_000, { timeoutMs: 20_000, intervalMs: 200 });
  watching = false;
  await watch;

  const rewritten = [...seen].filter(([, history]) => {
    const first = history.findIndex(({ status }) => isFinal(status));
    return first !== -1 && first < history.length - 1;
  });
  const tally = await simulator.admin.tally(texts);
  console.log(
    `worker frozen ${FROZEN_MS} ms: ${ids.length} messages, ${tally.duplicated.length} sent twice, ` +
      `${tally.lost.length} lost, ${rewritten.length} final statuses rewritten, ` +
      `${ids.filter((id) => !isFinal(seen.get(id)?.at(-1)?.status ?? '')).length} never final; ` +
      `frozen worker's log: ${frozen!.lineCount()} lines`,
  );
  const notFinal = ids.filter((id) => !isFinal(seen.get(id)?.at(-1)?.status ?? ''));
  expect(rewritten.slice(0, 3)).toEqual([]);
  expect(notFinal).toEqual([]);
  expect([...statuses.values()].filter((status) => status !== 'accepted')).toEqual([]);
  expect(tally.lost).toEqual([]);
  expect(tally.unexpected).toEqual([]);
  expect(tally.duplicated.length).toBeLessThanOrEqual(CONCURRENCY);
}, 180_000);
