import { createSimulator, type Simulator, type SimulatorAddress } from '../src/create-simulator';
import { sendRequest, VALID_MESSAGE } from './send-request';

// Every answer of Kaarai's document, from a real server on a free port.
describe('send endpoint', () => {
  let simulator: Simulator;
  let address: SimulatorAddress;

  beforeAll(async () => {
    simulator = createSimulator({ settings: { blockedPrefixes: ['999'] } });
    address = await simulator.listen();
  });

  afterAll(() => simulator.close());

  beforeEach(() => {
    simulator.state.record.clear();
    simulator.state.stats.clear();
  });

  it('answers 202 with 2020 as a JSON object', async () => {
    const answer = await sendRequest(address.sendUrl);
    expect(answer.status).toBe(202);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({ code: 2020, message: 'Accepted for delivery' });
  });

  it('records accepted messages with who sent them', async () => {
    await sendRequest(address.sendUrl);
    expect(simulator.state.record.list()).toEqual([
      {
        id: expect.any(String),
        ...VALID_MESSAGE,
        code: 2020,
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        authUser: 'gateway',
      },
    ]);
  });

  it('answers 2021 when the queued share is 1', async () => {
    simulator.state.settings = { ...simulator.state.settings, queuedShare: 1 };
    try {
      const answer = await sendRequest(address.sendUrl);
      expect([answer.status, JSON.parse(answer.body)]).toEqual([
        202,
        { code: 2021, message: 'Queued for later delivery' },
      ]);
      expect(simulator.state.record.list()).toMatchObject([{ code: 2021 }]);
    } finally {
      simulator.state.settings = { ...simulator.state.settings, queuedShare: 0 };
    }
  });

  it.each([
    ['a wrong content type', 400, 4000, 'Invalid content-type: text/plain', { contentType: 'text/plain' }],
    ['no content type', 400, 4000, 'Invalid content-type: ', { contentType: null }],
    ['malformed JSON', 400, 4000, 'Invalid JSON body', { body: '{"to": "57' }],
    ['no receiver', 400, 4001, 'Missing receiver number, rejected', { body: { text: 'hi' } }],
    ['no text', 400, 4002, 'Missing text message, rejected', { body: { to: '573001234567' } }],
    [
      'a number without country code',
      400,
      4003,
      'Invalid receiver number, rejected',
      { body: { to: '3001', text: 'x' } },
    ],
    [
      'a wrong password',
      403,
      4030,
      'Authorization failed for user: gateway',
      { auth: { user: 'gateway', password: 'no' } },
    ],
    ['no credentials', 403, 4030, 'Authorization failed for user: ', { auth: null }],
    [
      'a blocked prefix',
      403,
      4031,
      'Not routable. Do not try again',
      { body: { to: '9995551234', text: 'hi' } },
    ],
    ['a GET', 404, 4040, 'Unknown request', { method: 'GET' }],
  ] as const)('answers %s with %i and code %i', async (_case, status, code, message, options) => {
    const answer = await sendRequest(address.sendUrl, options);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([status, { code, message }]);
    expect(simulator.state.record.total).toBe(0);
  });

  it('answers 4040 on any other path, even with a valid message', async () => {
    const answer = await sendRequest(address.sendUrl.replace('/send', '/sendmore'));
    expect([answer.status, JSON.parse(answer.body)]).toEqual([
      404,
      { code: 4040, message: 'Unknown request' },
    ]);
  });

  it('ignores a query string on the send path', async () => {
    expect((await sendRequest(`${address.sendUrl}?trace=1`)).status).toBe(202);
  });

  it("writes the document's wording as a JSON string in the text body style", async () => {
    simulator.state.settings = { ...simulator.state.settings, bodyStyle: 'text' };
    try {
      const answer = await sendRequest(address.sendUrl, { body: { text: 'hi' } });
      expect([answer.status, answer.headers['content-type'], answer.body]).toEqual([
        400,
        'application/json',
        '"Code 4001: Missing receiver number, rejected"',
      ]);
    } finally {
      simulator.state.settings = { ...simulator.state.settings, bodyStyle: 'json' };
    }
  });

  it('sends only the status in the empty body style', async () => {
    simulator.state.settings = { ...simulator.state.settings, bodyStyle: 'empty' };
    try {
      const answer = await sendRequest(address.sendUrl);
      expect([answer.status, answer.headers['content-length'], answer.body]).toEqual([202, '0', '']);
      expect(answer.headers['content-type']).toBeUndefined();
    } finally {
      simulator.state.settings = { ...simulator.state.settings, bodyStyle: 'json' };
    }
  });

  it('counts requests and answers by code', async () => {
    await sendRequest(address.sendUrl);
    await sendRequest(address.sendUrl);
    await sendRequest(address.sendUrl, { auth: null });
    await sendRequest(address.sendUrl, { method: 'PUT' });
    expect(simulator.state.stats.snapshot()).toMatchObject({
      requests: 4,
      answers: { 2020: 2, 4030: 1, 4040: 1 },
    });
  });

  it('takes many concurrent requests on kept-alive connections without losing one', async () => {
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    try {
      const texts = Array.from({ length: 1000 }, (_, i) => `message ${i}`);
      const answers = await Promise.all(
        texts.map((text) => sendRequest(address.sendUrl, { body: { to: '573001234567', text }, agent })),
      );
      expect(answers.every((answer) => answer.status === 202)).toBe(true);
      expect(new Set(simulator.state.record.list().map((m) => m.text))).toEqual(new Set(texts));
      expect(simulator.state.record.total).toBe(1000);
    } finally {
      agent.destroy();
    }
  });
});
