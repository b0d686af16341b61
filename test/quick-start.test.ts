import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, waitFor } from '@sms/testing';
import {
  curlBatchLine,
  curlKaaraiLine,
  curlSendLine,
  type LocalStack,
  localStack,
} from '../scripts/local/local-stack';

// The README's start command, run as a user would (on free ports, with its own Redis), and the
// curl line it prints, run as printed: the message must reach the simulator and read `accepted`.
// Then the same command with clients of the developer's own, which it must not replace.
const root = resolve(__dirname, '..');
const stacks: ChildProcess[] = [];
const dataDirs: string[] = [];
/** The stack the start command runs, once it has sent its first SMS. */
let running: LocalStack | undefined;

afterAll(async () => {
  for (const stack of stacks.filter((child) => child.exitCode === null)) {
    const exited = new Promise((r) => stack.once('exit', r));
    stack.kill('SIGINT');
    await exited;
  }
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the start command with `extra` on top of free ports and its own Redis, and waits for the
 * curl line it prints once everything is ready; gives that line and the stack's settings.
 */
async function runStartCommand(extra: NodeJS.ProcessEnv = {}): Promise<{ curl: string; config: LocalStack }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sms-quick-start-'));
  dataDirs.push(dataDir);
  // The stack starts its own Redis only when no variable names one, and keeps the clients the
  // environment names: only those of `extra` may reach it.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(REDIS_|API_KEYS|ADMIN_API_KEYS|CLIENT_QUOTAS|DEFAULT_CLIENT_QUOTA|CLIENT_DELIVERY_MODES|CALLBACK_)/.test(
          name,
        ),
    ),
  );
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    API_PORT: String(await freePort()),
    ADMIN_PORT: String(await freePort()),
    WORKER_HTTP_PORT: String(await freePort()),
    KAARAI_SIM_PORT: String(await freePort()),
    KAARAI_SIM_HTTPS_PORT: String(await freePort()),
    KAARAI_SIM_ADMIN_PORT: String(await freePort()),
    LOCAL_REDIS_PORT: String(await freePort()),
    LOCAL_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...extra,
  };
  const config = localStack(env, root);
  const stack = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/start-local.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stacks.push(stack);
  const output: string[] = [];
  for (const stream of [stack.stdout!, stack.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => output.push(line));
  }
  // Stop waiting as soon as the stack gives up, with what it printed.
  const stackExited = new AbortController();
  stack.once('exit', (code) => stackExited.abort(new Error(`the start command exited (${code})`)));
  const curl = await waitFor(() => output.find((line) => line.trim().startsWith('curl -s -X POST'))?.trim(), {
    timeoutMs: 90_000,
    intervalMs: 100,
    description: 'the printed curl line',
    signal: stackExited.signal,
  }).catch((error: Error) => {
    throw new Error(`${error.message}; the start command printed:\n${output.join('\n')}`);
  });
  return { curl, config };
}

it('README shows the curl line that the start command prints', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  expect(readme).toContain(curlSendLine(localStack({}, root)));
});

it('starts the whole gateway, and the printed curl line sends an SMS that ends accepted', async () => {
  const { curl, config } = await runStartCommand();
  expect(curl).toBe(curlSendLine(config));

  const answer = JSON.parse(execFileSync('sh', ['-c', curl], { encoding: 'utf8' })) as {
    id: string;
    status: string;
  };
  expect(answer.status).toBe('queued');

  const auth = { authorization: `Bearer ${config.apiKey}` };
  const status = await waitFor(
    async () => {
      const view = (await (
        await fetch(`http://127.0.0.1:${config.apiPort}/v1/sms/${answer.id}`, { headers: auth })
      ).json()) as {
        status: string;
      };
      return view.status === 'accepted' ? view : undefined;
    },
    { timeoutMs: 30_000, description: 'the message to be accepted' },
  );
  expect(status).toMatchObject({ id: answer.id, status: 'accepted' });
  const record = (await (await fetch(`http://127.0.0.1:${config.simulatorAdminPort}/messages`)).json()) as {
    messages: { text: string }[];
  };
  expect(record.messages.map((m) => m.text)).toEqual(['Hello from the SMS gateway']);
  running = config;
}, 150_000);

it("docs/api.md's batch and Kaarai entry examples work against the started gateway", async () => {
  const readme = readFileSync(join(root, 'docs', 'api.md'), 'utf8');
  const shown = localStack({}, root);
  expect(readme).toContain(curlBatchLine(shown));
  expect(readme).toContain(curlKaaraiLine(shown));
  if (running === undefined) throw new Error('the start command did not get as far as its first SMS');
  const stack = running;

  const batch = JSON.parse(execFileSync('sh', ['-c', curlBatchLine(stack)], { encoding: 'utf8' }));
  expect(batch).toMatchObject({ accepted: 2, rejected: 1, messages: [{}, { error: { code: 4003 } }, {}] });
  const kaarai = JSON.parse(execFileSync('sh', ['-c', curlKaaraiLine(stack)], { encoding: 'utf8' }));
  expect(kaarai).toEqual({ code: 2021, message: 'Queued for later delivery' });

  const expected = ['First of a batch', 'Second of a batch', 'Your OTP code is 1234'];
  const texts = await waitFor(
    async () => {
      const record = (await (
        await fetch(`http://127.0.0.1:${stack.simulatorAdminPort}/messages`)
      ).json()) as {
        messages: { text: string }[];
      };
      const seen = record.messages.map((m) => m.text);
      return expected.every((text) => seen.includes(text)) ? seen : undefined;
    },
    { timeoutMs: 30_000, description: 'the examples to reach the simulator' },
  );
  expect(texts.filter((text) => text.startsWith('Refused'))).toEqual([]);
}, 60_000);

it("keeps the developer's own API_KEYS, ADMIN_API_KEYS and CLIENT_QUOTAS", async () => {
  const shop = 'shop-key-0123456789abcdef';
  const crm = 'crm-key-0123456789abcdef';
  const ops = 'ops-key-0123456789abcdef';
  const { curl, config } = await runStartCommand({
    API_KEYS: `shop=${shop},crm=${crm}`,
    ADMIN_API_KEYS: `ops=${ops}`,
    CLIENT_QUOTAS: 'crm=1/d',
  });
  // The printed line names no key of the developer's: one of theirs goes in its place.
  expect(curl).toBe(curlSendLine({ ...config, apiKey: '<a key of API_KEYS>' }));

  const send = async (key: string) => {
    const answer = await fetch(`http://127.0.0.1:${config.apiPort}/v1/sms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: '573001234567', text: 'Two clients, one quota' }),
    });
    return { status: answer.status, code: ((await answer.json()) as { code?: number }).code };
  };
  expect(await send(shop)).toEqual({ status: 202, code: undefined });
  expect(await send(shop)).toEqual({ status: 202, code: undefined });
  expect(await send(crm)).toEqual({ status: 202, code: undefined });
  expect(await send(crm)).toEqual({ status: 429, code: 4291 });
  expect(await send(config.apiKey)).toEqual({ status: 401, code: 4030 });

  const deadLetters = await fetch(`http://127.0.0.1:${config.adminPort}/v1/admin/dead-letters`, {
    headers: { authorization: `Bearer ${ops}` },
  });
  expect(deadLetters.status).toBe(200);
}, 150_000);
