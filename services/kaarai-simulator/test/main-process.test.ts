import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSimulator, startSimulator, waitFor } from '@sms/testing';
import { requestError, sendRequest } from './send-request';

// The simulator as other services' tests and docker compose run it: `src/main.ts` in its own process.
describe('simulator process', () => {
  let simulator: RunningSimulator;

  beforeAll(async () => {
    simulator = await startSimulator({ https: true, env: { KAARAI_SIM_BLOCKED_PREFIXES: '999,888' } });
  });

  afterAll(() => simulator?.stop());

  it('reports free ports and its certificate, and serves HTTP and HTTPS', async () => {
    expect(simulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/sms\/send$/);
    expect(simulator.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/v1\/sms\/send$/);
    expect(simulator.ca).toContain('BEGIN CERTIFICATE');
    expect((await sendRequest(simulator.url)).status).toBe(202);
    expect((await sendRequest(simulator.httpsUrl!, { ca: simulator.ca! })).status).toBe(202);
    expect(await simulator.admin.stats()).toMatchObject({ answers: { 2020: 2 }, recorded: 2 });
  });

  it('takes its settings from the environment', async () => {
    const answer = await sendRequest(simulator.url, { body: { to: '8881234567', text: 'hi' } });
    expect(JSON.parse(answer.body)).toEqual({ code: 4031, message: 'Not routable. Do not try again' });
  });

  it('takes faults through the admin API', async () => {
    await simulator.admin.setFaults({ failNext: 1 });
    expect((await sendRequest(simulator.url)).status).toBe(503);
    expect((await sendRequest(simulator.url)).status).toBe(202);
  });
});

describe('simulator process lifecycle', () => {
  it('closes on SIGTERM even with a hung request, and exits', async () => {
    const simulator = await startSimulator({ env: { KAARAI_SIM_HANG_RATE: '1' } });
    const hung = requestError(sendRequest(simulator.url));
    await waitFor(async () => (await simulator.admin.stats()).hung === 1, {
      description: 'the hung request',
    });
    await simulator.stop();
    expect((await hung).code).toBe('ECONNRESET');
    expect(simulator.output()).toContain('"msg":"closed"');
    expect(() => process.kill(simulator.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('refuses an invalid environment, naming every problem', async () => {
    const failure = startSimulator({ env: { KAARAI_SIM_PORT: 'eighty', KAARAI_SIM_FAILURE_RATE: '2' } });
    await expect(failure).rejects.toThrow(
      /exited \(code 1.*KAARAI_SIM_PORT: must be a number.*KAARAI_SIM_FAILURE_RATE: must be at most 1/s,
    );
  });

  it('reuses the certificate in its TLS directory across restarts, unless it lacks a host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaarai-sim-test-'));
    const certFile = join(dir, 'cert.pem');
    const env = { KAARAI_SIM_HTTPS_PORT: '0', KAARAI_SIM_TLS_DIR: dir };
    try {
      await (await startSimulator({ env })).stop();
      const first = readFileSync(certFile, 'utf8');

      const second = await startSimulator({ env });
      try {
        expect([second.caFile, second.ca]).toEqual([certFile, first]);
        expect((await sendRequest(second.httpsUrl!, { ca: first })).status).toBe(202);
      } finally {
        await second.stop();
      }

      const third = await startSimulator({ env: { ...env, KAARAI_SIM_TLS_HOSTS: 'simulator' } });
      try {
        expect(third.ca).not.toBe(first);
        const answer = await sendRequest(third.httpsUrl!, { ca: third.ca!, servername: 'simulator' });
        expect(answer.status).toBe(202);
      } finally {
        await third.stop();
      }
      expect(existsSync(join(dir, 'key.pem'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
