// Baseline of the delivery benchmark: the least a sender can do per message, a plain axios POST
// to Kaarai with the same keep-alive agent, concurrency and request settings as the worker's
// Kaarai client (packages/kaarai-client), and no queue, Redis, policy, metrics or logs.
import { Agent } from 'node:http';
import axios from 'axios';
import { command, emit, numberArg, readArgs, stringArg } from '../harness/child-protocol';

const args = readArgs();
const url = stringArg(args, 'url');
const count = numberArg(args, 'count');
const concurrency = numberArg(args, 'concurrency');
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const http = axios.create({
  auth: { username: stringArg(args, 'user'), password: stringArg(args, 'password') },
  headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  timeout: 10_000,
  httpAgent: agent,
  maxRedirects: 0,
  validateStatus: () => true,
  responseType: 'text',
  transformResponse: (data) => data,
});

async function main(): Promise<void> {
  emit('ready');
  await command('go');
  const started = performance.now();
  let next = 0;
  let accepted = 0;
  let refused = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const body = JSON.stringify({ to: '573001234567', text: `axios loop #${i}` });
      try {
        const response = await http.post<string>(url, body);
        if (response.status >= 200 && response.status < 300) accepted++;
        else refused++;
      } catch {
        refused++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  emit('result', { accepted, refused, elapsedMs: performance.now() - started });
  await command('exit');
  agent.destroy();
  process.exit(0);
}

void main();
