import { SimulatorAdmin, SimulatorAdminError } from '@sms/testing';
import { createSimulator, type Simulator, type SimulatorAddress } from '../src/create-simulator';
import { sendRequest } from './send-request';

// The admin API over HTTP, through the client that other services' tests use.
describe('admin API', () => {
  let simulator: Simulator;
  let address: SimulatorAddress;
  let admin: SimulatorAdmin;

  beforeAll(async () => {
    simulator = createSimulator();
    address = await simulator.listen();
    admin = new SimulatorAdmin(address.adminUrl);
  });

  afterAll(() => simulator.close());

  beforeEach(async () => {
    await admin.clearFaults();
    await admin.setSettings({
      user: 'gateway',
      password: 'secret',
      blockedPrefixes: [],
      queuedShare: 0,
      bodyStyle: 'json',
    });
    await admin.reset();
  });

  it('lists recorded messages, filtered by receiver, and clears them', async () => {
    await sendRequest(address.sendUrl, { body: { to: '573001111111', text: 'one' } });
    await sendRequest(address.sendUrl, { body: { to: '573002222222', text: 'two', from: 'ACME' } });
    expect(await admin.messages()).toMatchObject([
      { to: '573001111111', text: 'one', from: null, code: 2020, authUser: 'gateway' },
      { to: '573002222222', text: 'two', from: 'ACME', code: 2020 },
    ]);
    expect(await admin.messages({ to: '573002222222' })).toMatchObject([{ text: 'two' }]);
    await admin.reset();
    expect(await admin.messages()).toEqual([]);
  });

  it('reports stats by code', async () => {
    await sendRequest(address.sendUrl);
    await sendRequest(address.sendUrl, { contentType: 'text/plain' });
    expect(await admin.stats()).toMatchObject({ requests: 2, answers: { 2020: 1, 4000: 1 }, recorded: 1 });
  });

  it('tallies delivered, duplicated, lost and unexpected messages', async () => {
    for (const text of ['a', 'b', 'b', 'x'])
      await sendRequest(address.sendUrl, { body: { to: '573001234567', text } });
    expect(await admin.tally(['a', 'b', 'c'])).toEqual({
      delivered: 2,
      duplicated: ['b'],
      lost: ['c'],
      unexpected: ['x'],
    });
    expect(await admin.countBy('text')).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
        ['x', 1],
      ]),
    );
  });

  it('takes a corrected password at run time', async () => {
    await admin.setSettings({ password: 'rotated' });
    expect((await sendRequest(address.sendUrl)).status).toBe(403);
    expect(
      (await sendRequest(address.sendUrl, { auth: { user: 'gateway', password: 'rotated' } })).status,
    ).toBe(202);
  });

  it('blocks prefixes and changes the queued share and body style at run time', async () => {
    expect(await admin.setSettings({ blockedPrefixes: ['5730'], bodyStyle: 'text' })).toMatchObject({
      blockedPrefixes: ['5730'],
      bodyStyle: 'text',
    });
    expect((await sendRequest(address.sendUrl)).body).toBe('"Code 4031: Not routable. Do not try again"');
    await admin.setSettings({ blockedPrefixes: [], queuedShare: 1 });
    expect((await sendRequest(address.sendUrl)).body).toBe('"Code 2021: Queued for later delivery"');
  });

  it('starts and ends an outage', async () => {
    const faults = await admin.setFaults({ outageMs: 60_000 });
    expect(Date.parse(faults.outageUntil!)).toBeGreaterThan(Date.now());
    expect((await sendRequest(address.sendUrl)).status).toBe(503);
    expect((await admin.setFaults({ outageMs: 0 })).outageUntil).toBeNull();
    expect((await sendRequest(address.sendUrl)).status).toBe(202);
  });

  it('counts failNext down as requests use it', async () => {
    await admin.setFaults({ failNext: 2 });
    await sendRequest(address.sendUrl);
    expect((await admin.faults()).failNext).toBe(1);
  });

  it('answers 400 with every problem in an invalid fault update, and applies none of it', async () => {
    await admin.setFaults({ latencyMs: 5 });
    const error = await admin
      .setFaults({ latencyMs: 10, failureRate: 1.5, hangNxt: 1 } as never)
      .catch((e) => e);
    expect(error).toBeInstanceOf(SimulatorAdminError);
    expect(error.status).toBe(400);
    expect(error.problems).toEqual([
      'failureRate: must be a number from 0 to 1',
      expect.stringMatching(/^hangNxt: unknown field/),
    ]);
    expect((await admin.faults()).latencyMs).toBe(5);
  });

  it('answers 400 to invalid settings', async () => {
    const error = await admin.setSettings({ bodyStyle: 'xml' as never }).catch((e) => e);
    expect(error).toMatchObject({ status: 400, problems: ['bodyStyle: must be one of json, text, empty'] });
  });

  it('answers 400 to a body that is not JSON', async () => {
    const response = await fetch(`${address.adminUrl}/faults`, { method: 'PUT', body: 'failNext=1' });
    expect([response.status, await response.json()]).toEqual([
      400,
      { error: 'invalid_request', problems: ['body: must be JSON'] },
    ]);
  });

  it('answers health checks and 404 to unknown resources', async () => {
    expect(await (await fetch(`${address.adminUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${address.adminUrl}/nothing`)).status).toBe(404);
  });

  it('is not reachable on the Kaarai port, where it is an unknown request', async () => {
    const answer = await sendRequest(address.sendUrl.replace('/api/v1/sms/send', '/faults'), {
      method: 'GET',
    });
    expect([answer.status, JSON.parse(answer.body)]).toEqual([
      404,
      { code: 4040, message: 'Unknown request' },
    ]);
  });
});
