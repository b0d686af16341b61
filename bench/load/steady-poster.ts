// An open-loop load generator: sends POSTs at a fixed rate whatever the answers, as clients do
// (a closed loop such as autocannon's waits for answers and so hides queueing delay). Each text
// carries its sequence number and the epoch millisecond it was sent, `<label> <seq> <sentAtMs>`,
// which the Kaarai simulator's record then turns into an end-to-end latency.
import { Agent, request } from 'node:http';
import { command, emit, numberArg, readArgs, stringArg } from '../harness/child-protocol';
import { percentiles } from '../harness/percentiles';

const args = readArgs();
const url = new URL(stringArg(args, 'url'));
const rate = numberArg(args, 'rate');
const durationMs = numberArg(args, 'duration-ms');
const label = stringArg(args, 'label');
const authorization = stringArg(args, 'authorization');
// The API's `priority` field, when given (the simulator ignores it).
const priority = args.priority;
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

interface Tally {
  readonly statuses: Record<string, number>;
  readonly answerMs: number[];
}

function post(seq: number, tally: Tally): Promise<void> {
  const sentAt = Date.now();
  const body = JSON.stringify({
    to: '573001234567',
    text: `${label} ${seq} ${sentAt}`,
    ...(priority !== undefined && { priority }),
  });
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const key = String(res.statusCode);
          tally.statuses[key] = (tally.statuses[key] ?? 0) + 1;
          tally.answerMs.push(performance.now() - started);
          resolve();
        });
      },
    );
    req.on('error', () => {
      tally.statuses.error = (tally.statuses.error ?? 0) + 1;
      resolve();
    });
    req.end(body);
  });
}

async function main(): Promise<void> {
  emit('ready');
  await command('go');
  const total = Math.round((rate * durationMs) / 1000);
  const tally: Tally = { statuses: {}, answerMs: [] };
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  let seq = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
      while (seq < due) inFlight.push(post(seq++, tally));
      if (seq >= total) done();
      else setTimeout(tick, 2);
    };
    tick();
  });
  const sendingMs = performance.now() - started;
  await Promise.all(inFlight);
  emit('result', {
    sent: total,
    sendingMs,
    statuses: tally.statuses,
    answerLatencyMs: percentiles(tally.answerMs),
  });
  await command('exit');
  agent.destroy();
  process.exit(0);
}

void main();
