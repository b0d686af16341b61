import { existsSync } from 'node:fs';
import { startRedis, type TestRedis } from '@sms/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { DEAD, MASKED, queueMessages, SENT } from './queued-messages';
import { ADMIN_KEY, type RunningApi, startApi } from './start-api';

// The queue UI as an operator's browser shows it, in Debian's Chromium, headless: the page
// renders the three queues, every request it makes goes to the API on 127.0.0.1 (no font, no
// script, no beacon from anywhere else), and neither the page nor the JSON it reads holds a
// receiver's full number or a message's text.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const missing = existsSync(CHROMIUM)
  ? undefined
  : `skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;

// A loaded 2-core machine may take a while to start Chromium and run the page's scripts.
const DEADLINE_MS = 30_000;

let redis: TestRedis;
let api: RunningApi;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requested: string[] = [];
const apiAnswers: Promise<string>[] = [];
const policyViolations: string[] = [];

if (missing) {
  it.skip(`the queue UI in Chromium: ${missing}`, () => {});
} else {
  beforeAll(async () => {
    redis = await startRedis();
    api = await startApi(redis.url, {}, undefined, { queueUi: true });
    await queueMessages(api);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      chromiumSandbox: false,
      // Without these Chromium reaches out on its own (updates, sync, field trials); the machine's
      // closed network refuses those connections, and they are not the page's requests anyway.
      args: [
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // Playwright gives each context a new empty profile. The credentials are sent when the API
    // challenges, as a browser does after its login prompt.
    context = await browser.newContext({ httpCredentials: { username: 'ops', password: ADMIN_KEY } });
    context.on('request', (request) => requested.push(request.url()));
    context.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/admin/queues/api/')) {
        apiAnswers.push(response.text().catch(() => ''));
      }
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await redis?.stop();
  });

  it('renders the send, dead-letter and callback queues', async () => {
    const res = await page.goto(`${api.adminUrl}/admin/queues/`);
    expect(res?.status()).toBe(200);
    for (const name of ['sms', 'sms-dead-letter', 'callbacks']) {
      await page.getByRole('link', { name, exact: true }).first().waitFor({ timeout: DEADLINE_MS });
    }
  });

  /** The queue's page once its job is on it, as markup and as the text a reader sees. */
  async function queuePage(queue: string, masked: string, full: string): Promise<string> {
    await page.goto(`${api.adminUrl}/admin/queues/queue/${queue}`);
    const job = page.getByText(masked).or(page.getByText(full));
    // Attached, not visible: on a machine without fonts Chromium lays text out zero wide.
    await job.first().waitFor({ state: 'attached', timeout: DEADLINE_MS });
    // biome-ignore lint/performance/useDomNodeTextContent: the text as the operator reads it, after CSS
    return `${await page.content()}\n${await page.innerText('body')}`;
  }

  it('shows the jobs of the send queue with the receiver masked and the text hidden', async () => {
    const shown = await queuePage('sms', MASKED.to, SENT.to);
    expect(shown).toContain(MASKED.to);
    for (const secret of [SENT.to, SENT.from, SENT.text]) expect(shown).not.toContain(secret);
    // No worker runs here: on the send queue the badge is right.
    expect(shown).toMatch(/no workers/i);
  });

  it('shows the dead letters with the receiver masked and the text hidden, and no worker alarm', async () => {
    const shown = await queuePage('sms-dead-letter', MASKED.deadTo, DEAD.to);
    expect(shown).toContain(MASKED.deadTo);
    for (const secret of [DEAD.to, DEAD.text]) expect(shown).not.toContain(secret);
    expect(shown).not.toMatch(/no workers/i);
  });

  it('read no full number or text from the JSON API', async () => {
    const answers = await Promise.all(apiAnswers);
    expect(answers.length).toBeGreaterThan(0);
    const all = answers.join('\n');
    expect(all).toContain(MASKED.to);
    for (const secret of [SENT.to, SENT.from, SENT.text, DEAD.to, DEAD.text])
      expect(all).not.toContain(secret);
  });

  it('made every request to the API on 127.0.0.1, and the page was refused nothing', () => {
    expect(requested.length).toBeGreaterThan(0);
    // data: URLs are the page's own inline images: they never reach a network.
    const elsewhere = requested.filter(
      (url) => !url.startsWith('data:') && new URL(url).hostname !== '127.0.0.1',
    );
    expect(elsewhere).toEqual([]);
    expect(policyViolations).toEqual([]);
  });
}
