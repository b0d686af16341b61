import { deadLetter } from '@sms/queue';
import { startRedis, type TestRedis } from '@sms/testing';
import { DEAD, deadLetterEntry, MASKED, queueMessages, SENT } from './queued-messages';
import { ADMIN_KEY, type RunningApi, startApi, TEST_KEY } from './start-api';

// The queue UI (bull-board) is the operators': its page, static files and JSON API answer only
// an admin key, as a bearer token or as the password of Basic authentication (what a browser
// sends after its prompt), and it shows the queues without letting anyone change them, with
// receivers masked and texts hidden unless QUEUE_UI_SHOW_MESSAGES is set.
// queue-ui-browser.test.ts checks the page itself in Chromium.
let redis: TestRedis;
let api: RunningApi;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApi(redis.url, {}, undefined, { queueUi: true });
});
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ADMIN_BEARER = `Bearer ${ADMIN_KEY}`;

function callUi(path: string, authorization?: string, method = 'GET'): Promise<Response> {
  return fetch(`${api.adminUrl}/admin/queues${path}`, {
    method,
    headers: authorization === undefined ? {} : { authorization },
  });
}

interface QueueView {
  readonly name: string;
  readonly counts: Record<string, number>;
  readonly readOnlyMode: boolean;
  readonly isPaused: boolean;
  readonly hasWorkers: boolean | null;
}

async function listQueues(): Promise<QueueView[]> {
  const res = await callUi('/api/queues?page=1&jobsPerPage=10', ADMIN_BEARER);
  expect(res.status).toBe(200);
  return ((await res.json()) as { queues: QueueView[] }).queues;
}

describe('without an admin key', () => {
  it.each([
    ['no credentials', undefined],
    ['a client key as bearer', `Bearer ${TEST_KEY}`],
    ['a client key as Basic password', basic('billing', TEST_KEY)],
    ['a wrong Basic password', basic('ops', 'not-an-admin-key-0123456789')],
    ['the admin key as Basic user name', basic(ADMIN_KEY, '')],
  ])('answers %s with 401, a Basic challenge and code 4030', async (_name, authorization) => {
    const res = await callUi('/', authorization);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="sms-gateway admin"');
    expect(await res.json()).toMatchObject({ code: 4030, requestId: expect.any(String) });
  });

  it.each(['/static/favicon-32x32.png', '/api/queues', '/queue/sms'])('does not serve %s', async (path) => {
    expect((await callUi(path)).status).toBe(401);
  });
});

describe('with an admin key', () => {
  it.each([
    ['as bearer', ADMIN_BEARER],
    ['as Basic password, whatever the user name', basic('anyone', ADMIN_KEY)],
    ['as Basic password with an empty user name', basic('', ADMIN_KEY)],
  ])('serves the page %s', async (_name, authorization) => {
    const res = await callUi('/', authorization);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain('<base href="/admin/queues/"');
    expect(page).toContain('<title>SMS gateway queues</title>');
  });

  it('serves the static files the page links', async () => {
    const res = await callUi('/static/favicon-32x32.png', basic('ops', ADMIN_KEY));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
  });

  it('lists the send, dead-letter and callback queues with their job counts', async () => {
    const accepted = await api.post('/v1/sms', { to: '573001234567', text: 'Your code is 1234' });
    expect(accepted.status).toBe(202);
    await deadLetter(api.deadLetterQueue, 'dead-1', deadLetterEntry('9991234567', 'refused'));

    const queues = await listQueues();
    expect(queues.map((q) => q.name).sort()).toEqual(['callbacks', 'sms', 'sms-dead-letter']);
    const byName = new Map(queues.map((q) => [q.name, q]));
    expect(byName.get('sms')?.counts).toMatchObject({ waiting: 1, failed: 0 });
    expect(byName.get('sms-dead-letter')?.counts).toMatchObject({ waiting: 1 });
    expect(byName.get('callbacks')?.counts).toMatchObject({ waiting: 0, failed: 0 });
    for (const queue of queues) expect(queue.readOnlyMode).toBe(true);
  });

  it('reports missing workers on the queues that have them, and not on the dead-letter queue', async () => {
    const byName = new Map((await listQueues()).map((q) => [q.name, q]));
    // No worker runs in this test: bull-board's "No workers" badge is right for these two.
    expect(byName.get('sms')?.hasWorkers).toBe(false);
    expect(byName.get('callbacks')?.hasWorkers).toBe(false);
    // Nothing ever consumes dead letters: "cannot tell" shows no badge.
    expect(byName.get('sms-dead-letter')?.hasWorkers).toBeNull();
  });

  it('refuses to change a queue: the UI is read-only', async () => {
    const res = await callUi('/api/queues/sms/pause', ADMIN_BEARER, 'PUT');
    expect(res.status).toBe(405);
    expect(await api.queue.isPaused()).toBe(false);
    expect((await callUi('/api/queues/sms-dead-letter/empty', ADMIN_BEARER, 'PUT')).status).toBe(405);
    expect(await api.deadLetterQueue.count()).toBe(1);
  });

  it('counts its requests under their own route label, naming the operator', async () => {
    await callUi('/', ADMIN_BEARER);
    const text = await (await fetch(`${api.adminUrl}/metrics`)).text();
    expect(text).toMatch(/sms_api_requests_total\{route="queue_ui",status="200",code="0",client="ops"\} \d+/);
  });
});

it('is not served when no admin key is configured', async () => {
  const plain = await startApi(redis.url, { adminApiKeys: new Map() }, undefined, { queueUi: true });
  try {
    const res = await fetch(`${plain.adminUrl}/admin/queues/`, { headers: { authorization: ADMIN_BEARER } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 4040 });
  } finally {
    await plain.stop();
  }
});

describe('the messages in the queues', () => {
  const SECRETS = [SENT.to, SENT.from, SENT.text, DEAD.to, DEAD.text];

  // Everything the UI's JSON API answers about the two queues that hold messages: each queue's
  // page of jobs, and each job's own page.
  async function everythingShown(ui: RunningApi, id: string): Promise<string> {
    const paths = [
      '/api/queues?activeQueue=sms&status=latest&page=1&jobsPerPage=10',
      '/api/queues?activeQueue=sms-dead-letter&status=latest&page=1&jobsPerPage=10',
      `/api/queues/sms/${id}`,
      `/api/queues/sms-dead-letter/${DEAD.id}`,
    ];
    const bodies = await Promise.all(
      paths.map(async (path) => {
        const res = await fetch(`${ui.adminUrl}/admin/queues${path}`, {
          headers: { authorization: ADMIN_BEARER },
        });
        expect(res.status).toBe(200);
        return res.text();
      }),
    );
    return bodies.join('\n');
  }

  it('masks receivers and numeric senders and hides texts by default', async () => {
    const ui = await startApi(redis.url, {}, undefined, { queueUi: true });
    try {
      const shown = await everythingShown(ui, await queueMessages(ui));
      for (const secret of SECRETS) expect(shown).not.toContain(secret);
      expect(shown).toContain(`"to":"${MASKED.to}"`);
      expect(shown).toContain(`"from":"${MASKED.from}"`);
      expect(shown).toContain(`"to":"${MASKED.deadTo}"`);
      expect(shown).toContain('"text":"(hidden: 17 characters)"');
      expect(shown).toContain('"reason":"rejected"');
    } finally {
      await ui.stop();
    }
  });

  it('shows them in full with QUEUE_UI_SHOW_MESSAGES', async () => {
    const ui = await startApi(redis.url, {}, undefined, { queueUi: true, queueUiShowsMessages: true });
    try {
      const shown = await everythingShown(ui, await queueMessages(ui));
      for (const secret of SECRETS) expect(shown).toContain(secret);
    } finally {
      await ui.stop();
    }
  });
});

describe('the page', () => {
  it('links nothing on another host and forbids the browser any', async () => {
    const res = await callUi('/', ADMIN_BEARER);
    const page = await res.text();
    expect(page).not.toMatch(/(href|src)=["']?(https?:)?\/\//i);
    expect(page).toContain('static/css/main.');
    const policy = res.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).not.toMatch(/https?:|\*/);
  });
});
