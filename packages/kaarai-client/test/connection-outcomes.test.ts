import { createServer, type Socket } from 'node:net';
import { dropSyns, freePort, type RunningSimulator, startSimulator, synDropUnavailable } from '@sms/testing';
import { KaaraiClient, type KaaraiClientOptions } from '../src';

// Every way a call ends without an answer, on real sockets: a refused port, a server that takes
// the TCP connection and then says nothing, SYNs dropped on the way, the simulator hanging after
// it read the request. The invariant: `requestSent` is true exactly when the connection was
// established and the request written, which is when Kaarai may have the message.

const SMS = { to: '573001234567', text: 'connection outcome' };
// Long enough for a loopback connection to be established on a loaded machine, so that a
// timeout of a reachable server is always one after the request was written.
const TIMEOUT_MS = 1_500;
const PATH = '/api/v1/sms/send';

let simulator: RunningSimulator;
const cleanups: Array<() => unknown> = [];
beforeAll(async () => {
  simulator = await startSimulator({ https: true });
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await simulator?.stop();
});

function client(url: string, options: Partial<KaaraiClientOptions> = {}): KaaraiClient {
  const kaarai = new KaaraiClient({
    url,
    user: 'gateway',
    password: 'secret',
    timeoutMs: TIMEOUT_MS,
    ca: simulator.ca!,
    ...options,
  });
  cleanups.push(() => kaarai.close());
  return kaarai;
}

/**
 * A TCP server that accepts connections and never writes a byte: no TLS handshake, no answer.
 * With `acceptOnlyOne`, it stops listening once the first connection is in, and holds that one.
 */
async function startSilentServer({ acceptOnlyOne = false } = {}) {
  const sockets = new Set<Socket>();
  let received = '';
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await freePort();
  await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
  let connections = 0;
  server.on('connection', () => {
    connections++;
    if (acceptOnlyOne) server.close();
  });
  cleanups.push(
    () =>
      new Promise<void>((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  );
  return {
    port,
    connections: () => connections,
    /** What clients wrote, as text; a TLS ClientHello shows up as binary. */
    received: () => received,
  };
}

it('reports a refused connection as a failure that never reached Kaarai', async () => {
  const port = await freePort();
  const outcome = await client(`https://127.0.0.1:${port}${PATH}`).send(SMS);
  expect(outcome).toMatchObject({ type: 'no_answer', reason: 'connection_failed', requestSent: false });
});

it('reports a TLS handshake that never completes as a connect timeout, not sent', async () => {
  const silent = await startSilentServer();
  const outcome = await client(`https://127.0.0.1:${silent.port}${PATH}`).send(SMS);
  expect(outcome).toMatchObject({ type: 'no_answer', reason: 'connect_timeout', requestSent: false });
  // TCP was connected: it is the TLS handshake that never finished, so nothing of the request left.
  expect(silent.connections()).toBe(1);
  expect(silent.received()).not.toContain('POST');
});

it('reports a request written to a server that never answers as a timeout that may have been sent', async () => {
  const silent = await startSilentServer();
  const outcome = await client(`http://127.0.0.1:${silent.port}${PATH}`).send(SMS);
  expect(outcome).toMatchObject({ type: 'no_answer', reason: 'timeout', requestSent: true });
  expect(silent.received()).toMatch(new RegExp(`^POST ${PATH} HTTP/1.1`));
});

it('reports a call the simulator read and never answered as possibly sent, on a kept-alive connection too', async () => {
  const kaarai = client(simulator.httpsUrl!);
  await simulator.admin.reset();
  // The first call opens the connection the second reuses.
  expect(await kaarai.send(SMS)).toMatchObject({ type: 'answered', code: 2020 });
  await simulator.admin.setFaults({ hangNext: 1 });
  const outcome = await kaarai.send(SMS);
  expect(outcome).toMatchObject({ type: 'no_answer', reason: 'timeout', requestSent: true });
  expect((await simulator.admin.stats()).hung).toBe(1);
});

it('reports a call that timed out waiting for a free connection as never sent', async () => {
  const silent = await startSilentServer({ acceptOnlyOne: true });
  const kaarai = client(`http://127.0.0.1:${silent.port}${PATH}`, { maxSockets: 1 });
  // The second call waits for the one connection the first holds. Should the first time out
  // early enough for the pool to dial again for the second, that dial is refused: either way
  // the second request is never written.
  const [holding, waiting] = await Promise.all([kaarai.send(SMS), kaarai.send(SMS)]);
  expect(holding).toMatchObject({ type: 'no_answer', reason: 'timeout', requestSent: true });
  expect(waiting).toMatchObject({ type: 'no_answer', requestSent: false });
  expect(['connect_timeout', 'connection_failed']).toContain(waiting.type === 'no_answer' && waiting.reason);
  expect(silent.connections()).toBe(1);
  expect(silent.received().match(/^POST /gm)).toHaveLength(1);
});

const noSynDrop = synDropUnavailable();
const packetDrop = 'reports a connection lost to dropped packets as a connect timeout, never sent';
if (noSynDrop === undefined) {
  it(packetDrop, async () => {
    const silent = await startSilentServer();
    const drop = dropSyns(silent.port);
    cleanups.push(() => drop.restore());
    // Plain http, where the request is written the moment TCP connects: it never does.
    const outcome = await client(`http://127.0.0.1:${silent.port}${PATH}`).send(SMS);
    drop.restore();
    expect(outcome).toMatchObject({ type: 'no_answer', reason: 'connect_timeout', requestSent: false });
    expect(silent.connections()).toBe(0);
  });
} else {
  it.skip(`${packetDrop} (skipped: ${noSynDrop})`, () => {});
}

it('still delivers through the watched connections', async () => {
  await simulator.admin.reset();
  const outcome = await client(simulator.httpsUrl!).send(SMS);
  expect(outcome).toMatchObject({ type: 'answered', action: 'succeed', code: 2020 });
  expect((await simulator.admin.stats()).recorded).toBe(1);
});
