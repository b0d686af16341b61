// Runs autocannon in its own process, so that the load generator does not share an event loop
// with the benchmark's bookkeeping. A warm-up run first (JIT, connections, Redis scripts loaded),
// then `warm`; on `go` the measured run, then `result`, and `exit` ends it.
import autocannon from 'autocannon';
import { command, emit, readArgs, stringArg } from '../harness/child-protocol';
import type { AutocannonJob } from './autocannon-job';

const job = JSON.parse(stringArg(readArgs(), 'job')) as AutocannonJob;

function run(durationSeconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: job.url,
    method: job.method,
    headers: job.headers,
    body: job.body,
    connections: job.connections,
    ...(job.amount === undefined ? { duration: durationSeconds } : { amount: job.amount }),
    idReplacement: job.idReplacement ?? false,
    timeout: 10,
  });
}

async function main(): Promise<void> {
  if (job.warmupSeconds > 0) await run(job.warmupSeconds);
  emit('warm');
  await command('go');
  const result = await run(job.durationSeconds);
  emit('result', {
    seconds: result.duration,
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    requestsPerSecond: result.requests.average,
    latencyMs: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
  });
  await command('exit');
  process.exit(0);
}

void main();
