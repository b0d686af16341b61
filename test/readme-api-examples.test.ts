import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startRedis, type TestRedis } from '@sms/testing';
import { localStack } from '../scripts/local/local-stack';
import { type RunningApi, startApi, TEST_KEY } from '../services/api/test/start-api';

// The curl examples of docs/api.md for POST /v1/sms with its options, GET /v1/sms?reference= and
// DELETE /v1/sms/:id, run as printed (the URL and key of `pnpm start` swapped for those of an
// API on a real Redis): every one is answered as the page says, none with an error.
const root = resolve(__dirname, '..');
const API_DOC = join(root, 'docs', 'api.md');
const SECTIONS = ['## `POST /v1/sms`', '## `GET /v1/sms?reference=`', '## `DELETE /v1/sms/:id`'];
let redis: TestRedis;
let api: RunningApi;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApi(redis.url, { maxTextLength: 1_600 });
});
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

/** The ```sh blocks of the given sections, in the page's order. */
function shellExamples(readme: string, sections: readonly string[]): string[] {
  const blocks: string[] = [];
  let section = '';
  let block: string[] | undefined;
  for (const line of readme.split('\n')) {
    if (block) {
      if (line.startsWith('```')) {
        blocks.push(block.join('\n'));
        block = undefined;
      } else block.push(line);
    } else if (/^#{2,3} /.test(line)) section = line;
    else if (line === '```sh' && sections.includes(section)) block = [];
  }
  return blocks;
}

/**
 * Runs a block with the test API's URL and key; each curl's answer on a line of its own. Not
 * execFileSync: the API answers from this process's event loop.
 */
async function run(block: string): Promise<Record<string, unknown>[]> {
  const stack = localStack({}, root);
  const script = block
    .replaceAll(`http://localhost:${stack.apiPort}`, api.url)
    .replaceAll(stack.apiKey, TEST_KEY);
  const { stdout } = await promisify(execFile)('sh', [
    '-c',
    `curl() { command curl -w '\\n' "$@"; }\n${script}`,
  ]);
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

it('runs every example of the options, the look-up and the cancel as documented', async () => {
  const blocks = shellExamples(readFileSync(API_DOC, 'utf8'), SECTIONS);
  expect(blocks).toHaveLength(3);
  // In order: the look-up finds what the sends made.
  const [sends = [], lookUp = [], cancel = []] = [
    await run(blocks[0]!),
    await run(blocks[1]!),
    await run(blocks[2]!),
  ];

  expect(sends.map(({ id: _id, sendAt: _at, ...answer }) => answer)).toEqual([
    { status: 'queued', priority: 'high', delivery: 'at-least-once', encoding: 'GSM-7', segments: 1 },
    { status: 'queued', priority: 'bulk', delivery: 'at-least-once', encoding: 'GSM-7', segments: 1 },
    { status: 'scheduled', priority: 'normal', delivery: 'at-least-once', encoding: 'GSM-7', segments: 1 },
    {
      status: 'queued',
      priority: 'normal',
      delivery: 'at-least-once',
      reference: 'order-42',
      encoding: 'GSM-7',
      segments: 1,
    },
    { status: 'queued', priority: 'normal', delivery: 'at-least-once', encoding: 'UCS-2', segments: 1 },
    { status: 'queued', priority: 'normal', delivery: 'at-most-once', encoding: 'GSM-7', segments: 1 },
  ]);
  expect(lookUp).toEqual([
    {
      reference: 'order-42',
      messages: [expect.objectContaining({ id: sends[3]!.id, reference: 'order-42' })],
    },
  ]);
  expect(cancel).toEqual([expect.objectContaining({ status: 'canceled', attempts: 0 })]);
});

it('runs the example of the OpenAPI document as documented', async () => {
  const page = readFileSync(API_DOC, 'utf8');
  const blocks = shellExamples(page, ['## OpenAPI document (`/openapi.json`) and docs page (`/docs`)']);
  expect(blocks).toHaveLength(1);
  const [document] = await run(blocks[0]!);
  expect(document).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./), paths: expect.anything() });
});
