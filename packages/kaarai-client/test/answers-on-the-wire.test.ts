import { createServer, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { freePort, type RunningSimulator, startSimulator } from '@sms/testing';
import axios from 'axios';
import { KaaraiClient, type KaaraiClientOptions } from '../src';
import { UndiciTransport } from '../src/undici-transport';

// What the client makes of answers and breakages a well-behaved simulator never produces, each
// from a TCP server that writes exactly the bytes given: redirects, malformed answers, resets,
// compressed and slow answers; and TLS without the right trust. The invariant is the one of
// `connection-outcomes.test.ts`: every case classifies as the README's tables say, and
// `requestSent` is true exactly when the request was written.

const SMS = { to: '573001234567', text: 'on the wire' };
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
    ...options,
  });
  cleanups.push(() => kaarai.close());
  return kaarai;
}

/**
 * A TCP server that hands each complete request (head and body, as text) to `answer`, which
 * writes what it likes on the socket. It keeps everything it read.
 */
async function startRawServer(answer: (socket: Socket, request: string) => void) {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      const headEnd = buffered.indexOf('\r\n\r\n');
      const length = Number(/content-length:\s*(\d+)/i.exec(buffered)?.[1] ?? 0);
      if (headEnd < 0 || buffered.length < headEnd + 4 + length) return;
      const request = buffered.slice(0, headEnd + 4 + length);
      buffered = buffered.slice(request.length);
      requests.push(request);
      answer(socket, request);
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await freePort();
  await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
  cleanups.push(
    () =>
      new Promise<void>((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  );
  return { url: `http://127.0.0.1:${port}${PATH}`, requests };
}

function httpAnswer(
  status: string,
  headers: Record<string, string | number>,
  body: Buffer | string = '',
): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const head = Object.entries({ ...headers, 'Content-Length': bytes.length })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return Buffer.concat([Buffer.from(`HTTP/1.1 ${status}\r\n${head}\r\n`), bytes]);
}

it('sends one JSON POST with Basic auth, and reads the code, message and Retry-After', async () => {
  const server = await startRawServer((socket) =>
    socket.write(
      httpAnswer('429 Too Many Requests', { 'Retry-After': 7 }, '{"code":4290,"message":"Slow down"}'),
    ),
  );
  const outcome = await client(server.url).send(SMS);
  expect(outcome).toMatchObject({ type: 'answered', code: 4290, message: 'Slow down', retryAfterMs: 7_000 });
  const [request] = server.requests;
  expect(request).toMatch(new RegExp(`^POST ${PATH} HTTP/1.1\r\n`));
  expect(request).toMatch(/\r\nauthorization: Basic Z2F0ZXdheTpzZWNyZXQ=\r\n/i);
  expect(request).toMatch(/\r\ncontent-type: application\/json\r\n/i);
  expect(request?.endsWith(JSON.stringify(SMS))).toBe(true);
});

it('does not follow a redirect: the 3xx is the answer, and nothing is sent to its Location', async () => {
  const elsewhere = await startRawServer((socket) => socket.write(httpAnswer('200 OK', {}, '{"code":2020}')));
  const server = await startRawServer((socket) =>
    socket.write(httpAnswer('307 Temporary Redirect', { Location: elsewhere.url })),
  );
  const outcome = await client(server.url).send(SMS);
  expect(outcome).toMatchObject({ type: 'answered', httpStatus: 307, action: 'hold' });
  expect(elsewhere.requests).toHaveLength(0);
});

it('reads a gzip-compressed answer and one that starts with a byte-order mark', async () => {
  const compressed = await startRawServer((socket) =>
    socket.write(httpAnswer('200 OK', { 'Content-Encoding': 'gzip' }, gzipSync('{"code":2021}'))),
  );
  expect(await client(compressed.url).send(SMS)).toMatchObject({ type: 'answered', code: 2021 });
  const withBom = await startRawServer((socket) =>
    socket.write(httpAnswer('200 OK', {}, '\ufeff{"code":2021}')),
  );
  expect(await client(withBom.url).send(SMS)).toMatchObject({ type: 'answered', code: 2021 });
});

it('reports a malformed answer to a written request as a dropped connection that may have been sent', async () => {
  const server = await startRawServer((socket) => socket.end('this is not HTTP\r\n\r\n'));
  const outcome = await client(server.url).send(SMS);
  expect(outcome).toMatchObject({ type: 'no_answer', reason: 'connection_dropped', requestSent: true });
  expect(server.requests).toHaveLength(1);
});

it('reports a connection reset after the request was read as dropped, possibly sent', async () => {
  const server = await startRawServer((socket) => socket.resetAndDestroy());
  const outcome = await client(server.url).send(SMS);
  expect(outcome).toMatchObject({ type: 'no_answer', reason: 'connection_dropped', requestSent: true });
});

it('reports an answer cut off mid-body as dropped, possibly sent', async () => {
  const server = await startRawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"code":20');
    socket.destroy();
  });
  const outcome = await client(server.url).send(SMS);
  expect(outcome).toMatchObject({ type: 'no_answer', reason: 'connection_dropped', requestSent: true });
});

it('bounds the whole call by the timeout, even while the answer trickles in', async () => {
  const server = await startRawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
    const drip = setInterval(() => socket.write(' '), 200);
    socket.on('close', () => clearInterval(drip));
  });
  const started = performance.now();
  const outcome = await client(server.url).send(SMS);
  expect(outcome).toMatchObject({ type: 'no_answer', reason: 'timeout', requestSent: true });
  expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);
});

it('holds sending on a certificate it cannot trust, before anything is written', async () => {
  const outcome = await client(simulator.httpsUrl!).send(SMS);
  expect(outcome).toMatchObject({ type: 'no_answer', reason: 'tls', action: 'hold', requestSent: false });
});

it('holds sending on an https URL that points at a plain-HTTP port', async () => {
  await simulator.admin.reset();
  const outcome = await client(simulator.url.replace('http:', 'https:')).send(SMS);
  expect(outcome).toMatchObject({ type: 'no_answer', reason: 'tls', action: 'hold', requestSent: false });
  expect((await simulator.admin.stats()).recorded).toBe(0);
});

it('delivers over TLS with the CA it is given, on kept-alive connections', async () => {
  await simulator.admin.reset();
  const kaarai = client(simulator.httpsUrl!, { ca: simulator.ca! });
  for (let i = 0; i < 3; i++) expect(await kaarai.send(SMS)).toMatchObject({ type: 'answered', code: 2020 });
  expect((await simulator.admin.stats()).recorded).toBe(3);
});

it('sends through the HTTP proxy it is given', async () => {
  const proxy = await startRawServer((socket) => socket.write(httpAnswer('200 OK', {}, '{"code":2020}')));
  const transport = new UndiciTransport({
    connections: 1,
    connectTimeoutMs: TIMEOUT_MS,
    proxy: proxy.url.replace(PATH, ''),
  });
  cleanups.push(() => transport.close());
  const http = axios.create({ adapter: transport.adapter, validateStatus: () => true, responseType: 'text' });
  const response = await http.post('http://kaarai.invalid/api/v1/sms/send', JSON.stringify(SMS));
  expect(response.status).toBe(200);
  // A proxied plain-HTTP request names its whole URL on the request line.
  expect(proxy.requests[0]).toMatch(/^POST http:\/\/kaarai.invalid\/api\/v1\/sms\/send HTTP\/1.1\r\n/);
});
