// The Kaarai endpoint Kannel delivers to in the `peer` scenario. Kannel's generic HTTP SMSC can
// only send a GET with the message in the query string (gw/smsc/http/generic.c), and the Kaarai
// simulator takes a POST with a JSON body, so this sink serves HTTPS (keep-alive) on GET and runs
// each request through the simulator's own code: the same credential and field checks, the same
// record of accepted messages, the same answer body, and the simulator's admin API on a port of
// its own, so that the bench counts and resets it as it does the simulator. What it does beyond
// the simulator per request: parse the query string and write the JSON body the checks read.
//
// Commands on stdin: `hold` keeps every request unanswered and unread from then on (Kannel's queue
// fills behind them), `release` answers the held ones and every later one at once.

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KAARAI_CODES } from '@sms/contracts';
import { createAdminListener } from '../../services/kaarai-simulator/src/admin-listener';
import { answerKaaraiRequest } from '../../services/kaarai-simulator/src/answer-kaarai-request';
import { createCertificate } from '../../services/kaarai-simulator/src/create-certificate';
import { formatAnswer } from '../../services/kaarai-simulator/src/format-answer';
import { createSimulatorState } from '../../services/kaarai-simulator/src/simulator-state';
import { command, emit } from '../harness/child-protocol';

// As the simulator: longer than any client keeps an idle connection.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

// The admin listener logs changes at info and failures at error; the bench reads neither.
const SILENT = { info: () => {}, error: () => {} } as unknown as Parameters<typeof createAdminListener>[1];

const state = createSimulatorState();
const held: Array<() => void> = [];
let holding = false;

function answer(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'https://sink.invalid');
  const body = JSON.stringify({
    to: url.searchParams.get('to') ?? '',
    text: url.searchParams.get('text') ?? '',
  });
  const outcome = answerKaaraiRequest(
    state,
    {
      method: 'POST',
      path: url.pathname,
      contentType: 'application/json',
      authorization: request.headers.authorization,
      body,
      bodyTooLarge: false,
    },
    { now: new Date(), random: Math.random, newId: randomUUID },
  );
  if (outcome.kind !== 'answer') {
    response.destroy();
    return;
  }
  const formatted = formatAnswer(state.settings.bodyStyle, outcome.code, outcome.message);
  response
    .writeHead(KAARAI_CODES[outcome.code].httpStatus, {
      'content-length': Buffer.byteLength(formatted.body),
      'content-type': formatted.contentType ?? 'application/json',
    })
    .end(formatted.body);
}

async function main(): Promise<void> {
  const tls = await createCertificate();
  const dir = mkdtempSync(join(tmpdir(), 'kannel-sink-'));
  const caFile = join(dir, 'cert.pem');
  writeFileSync(caFile, tls.cert);
  const sink = createHttpsServer({ cert: tls.cert, key: tls.key }, (request, response) => {
    request.resume();
    if (holding) held.push(() => answer(request, response));
    else answer(request, response);
  });
  sink.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  sink.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  const admin = createHttpServer(createAdminListener(state, SILENT));
  const listen = (server: typeof admin | typeof sink) =>
    new Promise<number>((done) =>
      server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)),
    );
  const [port, adminPort] = await Promise.all([listen(sink), listen(admin)]);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  process.once('SIGTERM', () => process.exit(0));
  emit('ready', {
    url: `https://127.0.0.1:${port}${state.sendPath}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    caFile,
  });
  for (;;) {
    await command('hold');
    holding = true;
    emit('holding');
    await command('release');
    holding = false;
    for (const release of held.splice(0)) release();
    emit('released');
  }
}

void main();
