/**
 * Runs the whole gateway on this machine: Redis (unless REDIS_URL, REDIS_SENTINELS or
 * REDIS_CLUSTER_NODES names one, which the services then use), the Kaarai
 * simulator over HTTPS with a certificate made here, the API and one worker, with readable logs.
 * The API's clients are the local client and its callback receiver, unless API_KEYS names
 * clients of the developer's own (see clientSettings). With DATABASE_URL (or DATABASE_URL_FILE)
 * set, the archiver too, which moves final records to that PostgreSQL (migrated first with
 * `pnpm db:migrate`); without it, nothing needs PostgreSQL.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { prettyFactory } from 'pino-pretty';
import { curlCallbackLine, curlSendLine, localCallbackEnv, localStack } from './local/local-stack';

const root = resolve(__dirname, '..');
const stack = localStack(process.env, root);
const children: ChildProcess[] = [];
const pretty = prettyFactory({
  colorize: process.stdout.isTTY,
  translateTime: 'HH:MM:ss.l',
  ignore: 'pid,hostname,name',
});
let stopping = false;

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const label = `${name.padEnd(9)}|`;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      const text = line.startsWith('{') ? pretty(line).trimEnd() : line;
      for (const part of text.split('\n')) console.log(`${label} ${part}`);
    });
  }
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${label} exited (${signal ?? code}); stopping the stack`);
    void stop(1);
  });
  return child;
}

function service(name: string, main: string, env: NodeJS.ProcessEnv): ChildProcess {
  return run(name, process.execPath, ['--import', 'tsx', join(root, main)], env);
}

async function waitUntilUp(name: string, url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (stopping) return;
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not become ready at ${url} within 60 s`);
}

async function stop(code: number): Promise<void> {
  stopping = true;
  const exits = children
    .filter((c) => c.exitCode === null && c.signalCode === null)
    .map((c) => new Promise((r) => c.once('exit', r)));
  for (const child of children) child.kill('SIGTERM');
  await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 20_000))]);
  process.exit(code);
}

// The variables that name a Redis of the developer's: the services inherit them as they are.
const REDIS_TOPOLOGIES = ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const;

/** Where the services' Redis is, for the banner, and the variables that tell them. */
function startRedis(): { shown: string; env: NodeJS.ProcessEnv } {
  const given = REDIS_TOPOLOGIES.find((name) => process.env[name]);
  if (given) return { shown: `${given}=${process.env[given]}`, env: {} };
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.error(
      'redis-server was not found. Install Redis (Debian/Ubuntu: sudo apt-get install redis-server; ' +
        'macOS: brew install redis) or point REDIS_URL at a Redis you run, then start again.',
    );
    process.exit(1);
  }
  const dir = join(stack.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  // Append-only file on, so queued messages survive a restart of the local stack.
  run(
    'redis',
    'redis-server',
    // biome-ignore format: flag and value pairs read better side by side
    [
      '--port', String(stack.redisPort), '--bind', '127.0.0.1', '--dir', dir,
      '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction',
      '--hash-max-listpack-value', '512', '--save', '', '--loglevel', 'warning',
    ],
    {},
  );
  const url = `redis://127.0.0.1:${stack.redisPort}`;
  return { shown: url, env: { REDIS_URL: url } };
}

/** True when the environment sets `name` itself, or the file `NAME_FILE` the services read instead. */
const isGiven = (name: string): boolean => Boolean(process.env[name] || process.env[`${name}_FILE`]);

/** `defaults` less the variables the environment sets itself: the developer's win. */
function unlessGiven(defaults: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(defaults).filter(([name]) => !isGiven(name)));
}

/**
 * The client settings the API and the worker get on top of the environment. By default the
 * local client, its key and its callback receiver. API_KEYS (or API_KEYS_FILE) in the
 * environment replaces them all, so that several clients, each with its own quota, can be tried:
 * the local callback settings name the local client, which those keys need not have, so the
 * callback variables then come from the environment too. ADMIN_API_KEYS, CLIENT_QUOTAS,
 * DEFAULT_CLIENT_QUOTA and CLIENT_DELIVERY_MODES are never set here: the services read them from
 * the environment.
 */
function clientSettings(): { ownClients: boolean; api: NodeJS.ProcessEnv; worker: NodeJS.ProcessEnv } {
  if (isGiven('API_KEYS')) return { ownClients: true, api: {}, worker: {} };
  const callbacks = unlessGiven(localCallbackEnv(stack));
  return {
    ownClients: false,
    api: { API_KEYS: `${stack.client}=${stack.apiKey}`, ...callbacks },
    worker: {
      ...callbacks,
      ...unlessGiven({ CALLBACK_SECRETS: `${stack.client}=${stack.callbackSecret}` }),
    },
  };
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const redis = startRedis();
  const tlsDir = join(stack.dataDir, 'tls');
  const simulatorPath = '/api/v1/sms/send';
  service('simulator', 'services/kaarai-simulator/src/main.ts', {
    KAARAI_SIM_PORT: String(stack.simulatorPort),
    KAARAI_SIM_HTTPS_PORT: String(stack.simulatorHttpsPort),
    KAARAI_SIM_ADMIN_PORT: String(stack.simulatorAdminPort),
    KAARAI_SIM_TLS_DIR: tlsDir,
    KAARAI_SIM_USER: 'gateway',
    KAARAI_SIM_PASSWORD: 'local-kaarai-password',
  });
  await waitUntilUp('simulator', `http://127.0.0.1:${stack.simulatorAdminPort}/healthz`);

  const shared = { ...redis.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' };
  const clients = clientSettings();
  service('api', 'services/api/src/main.ts', {
    ...shared,
    API_PORT: String(stack.apiPort),
    ADMIN_PORT: String(stack.adminPort),
    // Operators' routes and every client's figures: for this machine only.
    ADMIN_HOST: '127.0.0.1',
    ...clients.api,
  });
  service('worker', 'services/worker/src/main.ts', {
    ...shared,
    WORKER_HTTP_PORT: String(stack.workerHttpPort),
    // Like the local Redis: nothing outside this machine needs the worker's metrics.
    WORKER_HTTP_HOST: '127.0.0.1',
    KAARAI_URL: `https://localhost:${stack.simulatorHttpsPort}${simulatorPath}`,
    KAARAI_CA_FILE: join(tlsDir, 'cert.pem'),
    KAARAI_USER: 'gateway',
    KAARAI_PASSWORD: 'local-kaarai-password',
    ...clients.worker,
  });
  const archiving = isGiven('DATABASE_URL');
  if (archiving) {
    service('archiver', 'services/archiver/src/main.ts', {
      ...shared,
      ARCHIVER_HTTP_PORT: String(stack.archiverHttpPort),
      ARCHIVER_HTTP_HOST: '127.0.0.1',
    });
  }
  await waitUntilUp('api', `http://127.0.0.1:${stack.apiPort}/readyz`);
  await waitUntilUp('worker', `http://127.0.0.1:${stack.workerHttpPort}/readyz`);
  if (archiving) await waitUntilUp('archiver', `http://127.0.0.1:${stack.archiverHttpPort}/ready`);
  if (stopping) return;

  // With keys of the developer's own, the examples name none of them: the banner shows no secret.
  const shown = clients.ownClients ? { ...stack, apiKey: '<a key of API_KEYS>' } : stack;
  const keys = clients.ownClients ? 'keys: API_KEYS from the environment' : `key: ${stack.apiKey}`;
  const callbacks = clients.ownClients
    ? ''
    : `Status callbacks of client ${stack.client} go to http://localhost:${stack.callbackPort}, signed with ${stack.callbackSecret}:
  ${curlCallbackLine(stack)}
`;
  console.log(`
The gateway is running (Ctrl-C stops it).
  API          http://localhost:${stack.apiPort}   (${keys}), /metrics on http://localhost:${stack.adminPort}/metrics
  worker       http://localhost:${stack.workerHttpPort}/metrics
${archiving ? `  archiver     http://localhost:${stack.archiverHttpPort}/metrics (archiving to DATABASE_URL)\n` : ''}  Kaarai sim   https://localhost:${stack.simulatorHttpsPort}${simulatorPath}, admin http://localhost:${stack.simulatorAdminPort}
  Redis        ${redis.shown}

Send a test SMS:
  ${curlSendLine(shown)}
Then look it up with the id it returns:
  curl -s http://localhost:${stack.apiPort}/v1/sms/<id> -H 'Authorization: Bearer ${shown.apiKey}'
And see what the simulator received:
  curl -s http://localhost:${stack.simulatorAdminPort}/messages
${callbacks}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  void stop(1);
});
