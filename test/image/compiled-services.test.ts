import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createArchivePool } from '@sms/archive';
import {
  type ApiProcess,
  type ArchiverProcess,
  type OtlpReceiver,
  type RunningSimulator,
  startApiProcess,
  startArchiverProcess,
  startOtlpReceiver,
  startPostgres,
  startRedis,
  startSimulator,
  startWorkerProcess,
  type TestPostgres,
  type TestRedis,
  type WorkerProcess,
  waitFor,
} from '@sms/testing';

// What the image runs, built the way deploy/Dockerfile builds it: `pnpm build` (tsc -b) emits
// dist/ for the services and the packages they use, and `pnpm deploy --prod` copies the API, the
// worker and the command line with their production dependencies into a folder outside the
// repository, where nothing of the workspace can be reached. The API and the worker then start
// with plain `node` and the image's NODE_OPTIONS, against a real redis-server and the simulator,
// and deliver a message; the command line lists dead letters straight on that Redis; the
// archiver's migration creates the archive's schema in a real PostgreSQL, and the archiver
// moves the delivered message there. The API and the worker export their spans to an OTLP
// receiver, as they would to a collector.

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..');
const IMAGE_NODE_OPTIONS = '--conditions=sms-compiled';
// Tools that run TypeScript or tests: none may be in what the image runs.
const DEV_ONLY = /^(tsx|esbuild|@esbuild|jest|@jest|@swc|@biomejs|ts-node)([@+]|$)/;

let out: string;
let redis: TestRedis;
let simulator: RunningSimulator;
let api: ApiProcess;
let worker: WorkerProcess;
let postgres: TestPostgres;
let archiver: ArchiverProcess;
let receiver: OtlpReceiver;
let prefix: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'sms-compiled-'));
  // All three settle before a failure is thrown, so that afterAll stops what did start.
  const started = await Promise.allSettled([
    startRedis().then((testRedis) => {
      redis = testRedis;
    }),
    startSimulator({ https: true }).then((testSimulator) => {
      simulator = testSimulator;
    }),
    startPostgres({ migrate: false }).then((testPostgres) => {
      postgres = testPostgres;
    }),
    startOtlpReceiver().then((started) => {
      receiver = started;
    }),
    buildAndDeploy(out),
  ]);
  for (const result of started) if (result.status === 'rejected') throw result.reason;
  prefix = `compiled-${Date.now()}`;
  const env = { NODE_OPTIONS: IMAGE_NODE_OPTIONS };
  await run(process.execPath, [join(out, 'archiver', 'dist', 'migrate-main.js')], {
    cwd: out,
    env: { PATH: process.env.PATH ?? '', ...env, DATABASE_URL: postgres.url },
  });
  archiver = await startArchiverProcess({
    redisUrl: redis.url,
    prefix,
    databaseUrl: postgres.url,
    main: join(out, 'archiver', 'dist', 'main.js'),
    env,
  });
  await archiver.ready();
  const traced = { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' };
  [api, worker] = await Promise.all([
    startApiProcess({ redisUrl: redis.url, prefix, main: join(out, 'api', 'dist', 'main.js'), env: traced }),
    startWorkerProcess({
      redisUrl: redis.url,
      prefix,
      main: join(out, 'worker', 'dist', 'main.js'),
      kaaraiUrl: simulator.httpsUrl!,
      caFile: simulator.caFile!,
      env: traced,
    }),
  ]);
  await worker.ready();
}, 240_000);

afterAll(async () => {
  await Promise.allSettled([api?.stop(), worker?.stop(), archiver?.stop()]);
  await Promise.allSettled([simulator?.stop(), redis?.stop(), postgres?.stop(), receiver?.stop()]);
  if (out) rmSync(out, { recursive: true, force: true });
});

async function buildAndDeploy(dir: string): Promise<void> {
  await run(
    process.execPath,
    [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.build.json'],
    {
      cwd: REPO_ROOT,
    },
  );
  // One after the other: two deploys at once contend for the same store and lockfile.
  for (const service of ['api', 'worker', 'archiver', 'cli']) {
    await run('pnpm', ['--filter', `@sms/${service}`, 'deploy', '--prod', '--offline', join(dir, service)], {
      cwd: REPO_ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
  }
}

function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

describe.each(['api', 'worker'])('the compiled %s', (service) => {
  const processOf = () => (service === 'api' ? api : worker);
  const baseUrl = () => (service === 'api' ? api.url : worker.httpUrl);

  it('runs its dist/main.js with plain node, from a copy that holds no TypeScript runner', () => {
    const main = join(out, service, 'dist', 'main.js');
    expect(commandLine(processOf().pid)).toEqual([process.execPath, main]);
    const store = readdirSync(join(out, service, 'node_modules', '.pnpm'));
    expect(store.filter((name) => DEV_ONLY.test(name))).toEqual([]);
    expect(existsSync(join(out, service, 'node_modules', 'tsx'))).toBe(false);
  });

  it('loads the compiled JavaScript of the workspace packages', () => {
    const queue = join(out, service, 'node_modules', '@sms', 'queue');
    expect(existsSync(join(queue, 'dist', 'index.js'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(queue, 'package.json'), 'utf8'));
    expect(manifest.exports['.']['sms-compiled']).toBe('./dist/index.js');
  });

  it('answers /healthz and /readyz', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const response = await fetch(baseUrl() + path);
      expect([path, response.status]).toEqual([path, 200]);
    }
  });
});

it('delivers a message posted to the compiled API through the compiled worker', async () => {
  const text = `compiled ${Date.now()}`;
  const response = await api.post({ to: '+573001234567', text });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  const view = await waitFor(
    async () => {
      const status = await api.status(id);
      return status.status === 'accepted' ? status : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100, description: 'the message to be accepted' },
  );
  expect(view).toMatchObject({ id, status: 'accepted' });
  expect(await simulator.admin.tally([text])).toMatchObject({ delivered: 1, duplicated: [], lost: [] });
  const spans = await waitFor(
    () => {
      const ofMessage = receiver.spans.filter((span) => span.attributes['sms.message_id'] === id);
      return ofMessage.length >= 2 ? ofMessage : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 100, description: 'the spans of the message' },
  );
  expect(spans.map((span) => `${span.service} ${span.name}`).sort()).toEqual(
    expect.arrayContaining(['sms-api enqueue', 'sms-worker process']),
  );

  // The compiled archiver, on the schema its compiled migration made, archives it.
  const pool = createArchivePool(postgres.url);
  try {
    const archived = await waitFor(
      async () => (await pool.query('SELECT status FROM sms_messages WHERE id = $1', [id])).rows[0],
      { timeoutMs: 30_000, intervalMs: 100, description: 'the message archived' },
    );
    expect(archived).toEqual({ status: 'accepted' });
  } finally {
    await pool.end();
  }
});

it('runs the compiled command line as the image does: dlq list --direct with the REDIS_* variables', async () => {
  const main = join(out, 'cli', 'dist', 'main.js');
  const store = readdirSync(join(out, 'cli', 'node_modules', '.pnpm'));
  expect(store.filter((name) => DEV_ONLY.test(name))).toEqual([]);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  const listed = await run(process.execPath, [main, 'dlq', 'list', '--direct', '--json'], {
    cwd: out,
    env: { ...env, NODE_OPTIONS: IMAGE_NODE_OPTIONS, REDIS_URL: redis.url, QUEUE_PREFIX: prefix },
  });
  expect(JSON.parse(listed.stdout)).toEqual({ items: [], total: 0 });
  // Without the variables it names what to set, and never tries a Redis of its own choosing.
  const unnamed = await run(process.execPath, [main, 'dlq', 'list', '--direct'], {
    cwd: out,
    env: { ...env, NODE_OPTIONS: IMAGE_NODE_OPTIONS },
  }).catch((error: { code: number; stderr: string }) => error);
  expect(unnamed).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('give --redis-url URL, or set REDIS_URL'),
  });
});
