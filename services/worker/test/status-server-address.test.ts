import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { startRedis, startWorkerProcess, type TestRedis, type WorkerProcess } from '@sms/testing';

// The status server listens where WORKER_HTTP_HOST says: on 127.0.0.1 it cannot be reached on
// another address of the machine; by default it can (every interface, which probes and
// Prometheus need in a pod). No message is sent, so Kaarai's URL is never called.
let redis: TestRedis;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill()));
  await redis?.stop();
});

async function startReadyWorker(
  env: Record<string, string>,
): Promise<{ worker: WorkerProcess; port: number }> {
  const worker = await startWorkerProcess({
    redisUrl: redis.url,
    prefix: `b${randomUUID().slice(0, 8)}`,
    kaaraiUrl: 'https://127.0.0.1:9/api/v1/sms/send',
    env,
  });
  workers.push(worker);
  await worker.ready();
  return { worker, port: Number(new URL(worker.httpUrl).port) };
}

/** How a TCP connection to host:port ends: 'connected', or the error code. */
function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** The local addresses `ss` reports listening on `port`, with the process that listens. */
function listeners(port: number): string[] {
  const ss = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  if (ss.error) throw new Error(`ss is needed to read listening sockets: ${ss.error.message}`);
  return ss.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, , , local, , users] = line.trim().split(/\s+/);
      return `${local} ${/pid=(\d+)/.exec(users ?? '')?.[1]}`;
    });
}

const otherAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

it('listens only on 127.0.0.1 when WORKER_HTTP_HOST says so, and on every interface by default', async () => {
  const [local, everywhere] = await Promise.all([
    startReadyWorker({ WORKER_HTTP_HOST: '127.0.0.1' }),
    // An empty variable counts as unset: the default, over the test helper's 127.0.0.1.
    startReadyWorker({ WORKER_HTTP_HOST: '' }),
  ]);

  expect(listeners(local.port)).toEqual([`127.0.0.1:${local.port} ${local.worker.pid}`]);
  expect(listeners(everywhere.port)).toEqual([
    expect.stringMatching(new RegExp(`^(0\\.0\\.0\\.0|\\*):${everywhere.port} ${everywhere.worker.pid}$`)),
  ]);
  if (otherAddress === undefined) {
    console.log('no address besides loopback on this machine: listening addresses checked with ss only');
    return;
  }
  expect(await connectOutcome(otherAddress, local.port)).toBe('ECONNREFUSED');
  expect(await connectOutcome(otherAddress, everywhere.port)).toBe('connected');
}, 60_000);
