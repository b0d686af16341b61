import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type ApiProcess,
  FAST_RETRIES,
  FAULT_TEST_API_KEY,
  finalStatuses,
  metricValue,
  newPrefix,
  type RunningSimulator,
  startApiProcess,
  startPostgres,
  startRedis,
  startSimulator,
  startWorkerProcess,
  Teardown,
  type TestPostgres,
  type TestRedis,
  uniqueTexts,
  type WorkerProcess,
  waitFor,
} from '@sms/testing';
import { type ArchiverUnderTest, startArchiver } from '../../services/archiver/test/start-archiver';
import { type CallbackReceiver, startCallbackReceiver } from '../callbacks/callback-receiver';
import { dashboardQueries, dashboardVariableQueries, type PanelQuery } from './dashboard-queries';
import { type VectorSelector, vectorSelectors } from './promql-selectors';
import { type RunningPrometheus, startPrometheus } from './start-prometheus';

// A real Prometheus scrapes a real API, worker and archiver (deploy/prometheus/prometheus-local.yml,
// with their ports and a 1 s interval put in; the archiver writes to a real PostgreSQL) and loads
// the real alert rules, while traffic runs through the gateway: accepted messages, requests refused as bad input, 5030 answers that are
// retried and 4031 answers that are dead-lettered, an at-most-once message whose answer is lost, a batch refused by a client's day quota, and
// status callbacks that one receiver takes and another refuses until they are given up. Then
// every query of the Grafana dashboard and every alert expression is evaluated by Prometheus.
// Invariant: no panel and no rule reads a metric, a label or a label value that the services do
// not expose.
const ROOT = resolve(__dirname, '..', '..');
const PROMETHEUS_DIR = join(ROOT, 'deploy', 'prometheus');
const DASHBOARD = join(ROOT, 'deploy', 'grafana', 'dashboards', 'sms-gateway.json');
const BLOCKED_PREFIX = '57399';
// What the dashboard's variables and Grafana's own variables stand for while the queries run.
const GRAFANA_VARIABLES = { namespace: '.*', instance: '.*', __rate_interval: '1m', __range: '5m' };
// A second client, allowed one message a day: a batch of two is refused whole (429, 4291).
const QUOTA_CLIENT_KEY = 'quota-key-0123456789abcdef';
const CALLBACK_SECRET = 'observability-callback-secret-0123';
// Metrics that get a series only under a fault this run does not stage (the value names it). A
// query reading nothing else must still evaluate, and each such metric must be declared (# HELP,
// # TYPE) by a scraped process, so that a misspelt name fails all the same.
const NOT_PROVOKED: Readonly<Record<string, string>> = {
  sms_callback_enqueue_failures_total:
    'Redis stalling past CALLBACK_ENQUEUE_TIMEOUT_MS in the middle of a send',
  sms_archive_failures_total: 'PostgreSQL or Redis failing under the archiver',
};

const teardown = new Teardown();
let redis: TestRedis;
let simulator: RunningSimulator;
let api: ApiProcess;
let worker: WorkerProcess;
let postgres: TestPostgres;
let archiver: ArchiverUnderTest;
let prometheus: RunningPrometheus;
// Callback receivers: the first answers 204; the second 503 to every post, so that its events
// are given up.
let receiver: CallbackReceiver;
let refusing: CallbackReceiver;
// When the first round's counts were all in and the second round had not begun.
let secondRoundFrom = 0;
// Records the archiver had written when the last round's were all in.
let archivedSoFar = 0;

interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

beforeAll(async () => {
  [redis, simulator, receiver, refusing, postgres] = await Promise.all([
    startRedis().then((r) => teardown.add(r, (x) => x.stop())),
    startSimulator({ https: true }).then((s) => teardown.add(s, (x) => x.stop())),
    startCallbackReceiver().then((r) => teardown.add(r, (x) => x.stop())),
    startCallbackReceiver().then((r) => teardown.add(r, (x) => x.stop())),
    startPostgres().then((p) => teardown.add(p, (x) => x.stop())),
  ]);
  refusing.fail(Number.POSITIVE_INFINITY, 503);
  const prefix = newPrefix();
  const callbackHosts = `faults=${receiver.origin}|${refusing.origin}`;
  api = teardown.add(
    await startApiProcess({
      redisUrl: redis.url,
      prefix,
      env: {
        API_KEYS: `faults=${FAULT_TEST_API_KEY},quota=${QUOTA_CLIENT_KEY}`,
        CLIENT_QUOTAS: 'quota=1/d',
        CALLBACK_ALLOWED_HOSTS: callbackHosts,
      },
    }),
    (x) => x.stop(),
  );
  worker = teardown.add(
    await startWorkerProcess({
      redisUrl: redis.url,
      prefix,
      kaaraiUrl: simulator.httpsUrl!,
      caFile: simulator.caFile!,
      // The circuit would only slow the run down: the failures injected here are few on purpose.
      env: {
        ...FAST_RETRIES,
        CIRCUIT_MIN_CALLS: '1000',
        CALLBACK_ALLOWED_HOSTS: callbackHosts,
        CALLBACK_SECRETS: `faults=${CALLBACK_SECRET}`,
        CALLBACK_ATTEMPTS: '2',
        CALLBACK_RETRY_BASE_DELAY_MS: '10',
        CALLBACK_RETRY_MAX_DELAY_MS: '50',
      },
    }),
    (x) => x.stop(),
  );
  await worker.ready();
  // Before any traffic: the archiver creates the archive stream, and only then do final statuses
  // go to it.
  archiver = teardown.add(
    await startArchiver({
      redisEnv: { REDIS_URL: redis.url },
      queuePrefix: prefix,
      databaseUrl: postgres.url,
    }),
    (x) => x.stop(),
  );
  prometheus = teardown.add(
    await startPrometheus(localConfig(api.adminUrl, worker.httpUrl, archiver.url), {
      'alerts.yml': readFileSync(join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8'),
    }),
    (x) => x.stop(),
  );
  await waitFor(
    async () => {
      const { activeTargets } = await prometheus.api<{ activeTargets: Array<{ health: string }> }>('targets');
      return activeTargets.length === 3 && activeTargets.every((t) => t.health === 'up');
    },
    {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'prometheus to scrape the api, the worker and the archiver',
    },
  );

  await simulator.admin.setSettings({ blockedPrefixes: [BLOCKED_PREFIX] });
  // Two rounds of traffic with a scrape in between, so that every counter a round creates has
  // grown between two scrapes and its rate is not zero.
  await runTraffic('first');
  secondRoundFrom = Date.now();
  await nextScrape();
  await runTraffic('second');
  await prometheusCaughtUp();
}, 90_000);

afterAll(() => teardown.run());

/** deploy/prometheus/prometheus-local.yml, pointed at the processes under test every second. */
function localConfig(apiUrl: string, workerUrl: string, archiverUrl: string): string {
  let config = readFileSync(join(PROMETHEUS_DIR, 'prometheus-local.yml'), 'utf8');
  const replacements: Array<[string, string]> = [
    ['"127.0.0.1:9101"', `"${new URL(apiUrl).host}"`],
    ['"127.0.0.1:9100"', `"${new URL(workerUrl).host}"`],
    ['"127.0.0.1:9300"', `"${new URL(archiverUrl).host}"`],
    ['scrape_interval: 10s', 'scrape_interval: 1s'],
    ['evaluation_interval: 10s', 'evaluation_interval: 1s'],
  ];
  for (const [from, to] of replacements) {
    if (config.split(from).length !== 2) throw new Error(`prometheus-local.yml has no single ${from}`);
    config = config.replace(from, to);
  }
  return config;
}

/**
 * Accepted messages (some answered 5030 first), 4031 refusals, requests refused as bad input, a
 * batch over the quota client's day, then one message whose callback is delivered and one whose
 * callback is given up.
 */
async function runTraffic(label: string): Promise<void> {
  await simulator.admin.setFaults({ failNext: 4 });
  const good = uniqueTexts(`${label} good`, 10).map((text) => ({ to: '573001234567', text }));
  const blocked = uniqueTexts(`${label} blocked`, 3).map((text) => ({
    to: `${BLOCKED_PREFIX}0000001`,
    text,
  }));
  const ids = await Promise.all(
    [...good, ...blocked].map(async (body) => {
      const response = await api.post(body);
      expect(response.status).toBe(202);
      return ((await response.json()) as { id: string }).id;
    }),
  );
  const bad = [
    { to: 'not a number', text: 'x' },
    { to: '573001234567' },
    { to: '573001234567', text: 'x', x: 1 },
  ];
  for (const body of bad) expect((await api.post(body)).status).toBe(400);
  await finalStatuses(api, ids, 30_000);
  await endedUnknown(label);
  await refusedByQuota(label);
  await callbacksSettled(label);
  await deadLettersCounted();
  // The at-most-once message of `endedUnknown` is final too.
  await archived(ids.length + 1);
}

/** An at-most-once message whose answer Kaarai loses (the connection reset): it ends `unknown`. */
async function endedUnknown(label: string): Promise<void> {
  await simulator.admin.setFaults({ loseAnswerNext: 1 });
  const response = await api.post({
    to: '573001234567',
    text: `${label} at most once`,
    delivery: 'at-most-once',
  });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  expect([...(await finalStatuses(api, [id], 30_000)).values()]).toEqual(['unknown']);
}

/**
 * Waits until the archiver has written at least `count` more records than before and none waits
 * in the stream: each round's final messages are in PostgreSQL before the next scrape.
 */
async function archived(count: number): Promise<void> {
  const written = async () =>
    metricValue(await (await fetch(`${archiver.url}/metrics`)).text(), 'sms_archived_messages_total', {
      outcome: 'written',
    }) ?? 0;
  const before = archivedSoFar;
  await waitFor(
    async () =>
      (await written()) >= before + count &&
      metricValue(await worker.metrics(), 'sms_archive_backlog_messages') === 0,
    { timeoutMs: 15_000, intervalMs: 100, description: `the archiver to write ${count} more records` },
  );
  archivedSoFar = await written();
}

/**
 * Waits until the worker has counted the dead letter of every refusal it counted: it counts
 * Kaarai's answer, writes the dead letter, then counts that, and a scrape in between would see
 * one count and not the other.
 */
async function deadLettersCounted(): Promise<void> {
  await waitFor(
    async () => {
      const text = await worker.metrics();
      const refused = metricValue(text, 'sms_provider_answers_total', {
        code: '4031',
        outcome: 'dead_letter',
      });
      return refused !== undefined && refused === metricValue(text, 'sms_messages_dead_lettered_total');
    },
    { timeoutMs: 10_000, intervalMs: 50, description: 'the worker to count every dead letter' },
  );
}

async function refusedByQuota(label: string): Promise<void> {
  const messages = uniqueTexts(`${label} over quota`, 2).map((text) => ({ to: '573001234567', text }));
  const response = await fetch(`${api.url}/v1/sms/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${QUOTA_CLIENT_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages }),
  });
  expect(response.status).toBe(429);
}

/**
 * Sent once Kaarai's injected failures are used up, each message has one event: the receiver
 * takes it; the refusing receiver fails both attempts, and the event is given up.
 */
async function callbacksSettled(label: string): Promise<void> {
  const count = async (outcome: string) =>
    metricValue(await worker.metrics(), 'sms_callbacks_total', { outcome }) ?? 0;
  const before = { delivered: await count('delivered'), givenUp: await count('given_up') };
  const [delivered, givenUp] = uniqueTexts(`${label} callback`, 2);
  for (const [text, origin] of [
    [delivered, receiver.origin],
    [givenUp, refusing.origin],
  ] as const) {
    const response = await api.post({ to: '573001234567', text, callbackUrl: `${origin}/sms-status` });
    expect(response.status).toBe(202);
  }
  await waitFor(
    async () => (await count('delivered')) > before.delivered && (await count('given_up')) > before.givenUp,
    { timeoutMs: 15_000, intervalMs: 100, description: `the ${label} round's callbacks to be settled` },
  );
}

/** Waits until Prometheus has scraped both processes again, after this moment. */
async function nextScrape(): Promise<void> {
  const since = Date.now();
  await waitFor(
    async () => {
      const { activeTargets } = await prometheus.api<{ activeTargets: Array<{ lastScrape: string }> }>(
        'targets',
      );
      return activeTargets.every((t) => Date.parse(t.lastScrape) > since + 100);
    },
    { timeoutMs: 10_000, intervalMs: 200, description: 'a scrape of both processes' },
  );
}

/**
 * Waits until Prometheus holds what the processes report now (every send and every answer of
 * Kaarai counted), and has evaluated every rule since.
 */
async function prometheusCaughtUp(): Promise<void> {
  const total = (exposition: string, name: string) =>
    exposition
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  const workerMetrics = await worker.metrics();
  const expected = {
    sms_archived_messages_total: total(
      await (await fetch(`${archiver.url}/metrics`)).text(),
      'sms_archived_messages_total',
    ),
    sms_provider_answers_total: total(workerMetrics, 'sms_provider_answers_total'),
    sms_callbacks_total: total(workerMetrics, 'sms_callbacks_total'),
    sms_api_messages_accepted_total: total(
      await (await fetch(`${api.adminUrl}/metrics`)).text(),
      'sms_api_messages_accepted_total',
    ),
  };
  await waitFor(
    async () => {
      for (const [name, value] of Object.entries(expected)) {
        const [sample] = await query(`sum(${name})`);
        if (Number(sample?.value[1]) !== value) return false;
      }
      return true;
    },
    { timeoutMs: 15_000, intervalMs: 200, description: `prometheus to hold ${JSON.stringify(expected)}` },
  );
  const caughtUpAt = Date.now();
  await waitFor(
    async () => {
      const rules = await alertRules();
      return rules.every((rule) => Date.parse(rule.lastEvaluation) > caughtUpAt);
    },
    { timeoutMs: 10_000, intervalMs: 200, description: 'prometheus to evaluate every rule again' },
  );
}

function query(expr: string): Promise<Sample[]> {
  return prometheus.api<{ resultType: string; result: Sample[] }>('query', { query: expr }).then((data) => {
    if (data.resultType !== 'vector') throw new Error(`${expr} gave a ${data.resultType}, not a vector`);
    return data.result;
  });
}

function series(selector: string): Promise<Array<Record<string, string>>> {
  return prometheus.api('series', { 'match[]': selector });
}

interface AlertRule {
  readonly name: string;
  readonly query: string;
  readonly health: string;
  readonly lastError?: string;
  readonly lastEvaluation: string;
  readonly annotations: Record<string, string>;
  readonly labels: Record<string, string>;
}

async function alertRules(): Promise<AlertRule[]> {
  const { groups } = await prometheus.api<{ groups: Array<{ rules: Array<AlertRule & { type: string }> }> }>(
    'rules',
  );
  return groups.flatMap((group) => group.rules).filter((rule) => rule.type === 'alerting');
}

/**
 * What is wrong with a selector, if anything: its metric has no series, no series has the
 * values its `=` matchers ask for, or a label it matches on some other way does not exist
 * (except a regex that also matches an absent label, as `namespace=~".*"` does).
 */
async function selectorProblems(selector: VectorSelector): Promise<string[]> {
  const equal = selector.matchers.filter((m) => m.op === '=' && m.value !== '');
  const match = `${selector.metric}{${equal.map((m) => `${m.label}=${JSON.stringify(m.value)}`).join(',')}}`;
  const found = await series(match);
  const checked = selector.matchers.filter((m) => m.op !== '=~' || !new RegExp(`^(?:${m.value})$`).test(''));
  if (found.length === 0) {
    const any = await series(selector.metric);
    if (any.length === 0 && selector.metric in NOT_PROVOKED) {
      const declared = await prometheus.api<Record<string, unknown[]>>('metadata', {
        metric: selector.metric,
      });
      return [
        ...(declared[selector.metric] === undefined ? [`no process declares ${selector.metric}`] : []),
        ...checked.map((m) => `${selector.metric} has no series here to check the label ${m.label} on`),
      ];
    }
    return [any.length === 0 ? `no series of ${selector.metric}` : `no series matches ${match}`];
  }
  return checked
    .filter((m) => m.op !== '=')
    .filter((m) => !found.some((labels) => m.label in labels))
    .map((m) => `${selector.metric} has no label ${m.label}`);
}

/** True when every metric `expr` reads is one of NOT_PROVOKED: it may rightly return nothing. */
function readsOnlyUnprovoked(expr: string): boolean {
  return vectorSelectors(expr).every((selector) => selector.metric in NOT_PROVOKED);
}

async function problemsOf(expr: string): Promise<string[]> {
  const selectors = vectorSelectors(expr);
  if (selectors.length === 0) return [`no metric found in ${expr}`];
  return (await Promise.all(selectors.map(selectorProblems))).flat();
}

const finite = (samples: readonly Sample[]) => samples.filter((s) => Number.isFinite(Number(s.value[1])));

it('scrapes the API, the worker and the archiver under the job names the rules and the dashboard use', async () => {
  const jobs = (await query('up == 1')).map((s) => s.metric.job).sort();
  expect(jobs).toEqual(['sms-api', 'sms-archiver', 'sms-worker']);
});

it('loads every alert rule, each with a severity, a summary, a description and a runbook', async () => {
  const rules = await alertRules();
  const runbooks = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
  expect(rules.length).toBeGreaterThanOrEqual(7);
  for (const rule of rules) {
    expect({ rule: rule.name, health: rule.health, lastError: rule.lastError ?? '' }).toEqual({
      rule: rule.name,
      health: 'ok',
      lastError: '',
    });
    expect(['warning', 'critical']).toContain(rule.labels.severity);
    expect(rule.annotations).toEqual(
      expect.objectContaining({ summary: expect.any(String), description: expect.any(String) }),
    );
    // The runbook is the section of docs/operations.md titled with the alert's name, linked
    // absolutely (runbook-urls.test.ts checks the base and the anchors).
    expect(rule.annotations.runbook_url).toMatch(new RegExp(`^https://[^#]+#${rule.name.toLowerCase()}$`));
  }
  const withoutRunbook = rules.map((rule) => rule.name).filter((name) => !runbooks.includes(`### ${name}\n`));
  expect(withoutRunbook).toEqual([]);
});

const panelQueries = dashboardQueries(readFileSync(DASHBOARD, 'utf8'), GRAFANA_VARIABLES);
const named = (queries: readonly PanelQuery[]) => queries.map((q) => [`${q.panel} (${q.refId})`, q.expr]);
const provokedQueries = named(panelQueries.filter((q) => !readsOnlyUnprovoked(q.expr)));
const unprovokedQueries = named(panelQueries.filter((q) => readsOnlyUnprovoked(q.expr)));

it.each(provokedQueries)('dashboard query of "%s" returns data', async (_name, expr) => {
  const samples = await query(expr);
  expect({ expr, problems: await problemsOf(expr) }).toEqual({ expr, problems: [] });
  expect({ expr, finite: finite(samples).length > 0 }).toEqual({ expr, finite: true });
});

it.each(unprovokedQueries)(
  'dashboard query of "%s" evaluates, on a metric this run does not provoke',
  async (_name, expr) => {
    await query(expr);
    expect({ expr, problems: await problemsOf(expr) }).toEqual({ expr, problems: [] });
  },
);

it("counts refusals for the client's data apart from the gateway's delivery success", async () => {
  // Over the second round alone, whose counts are whole at both ends of the window: every series
  // then has its samples at the same scrapes, and the shares are exact.
  const time = Date.now();
  const variables = { ...GRAFANA_VARIABLES, __rate_interval: `${time - secondRoundFrom}ms` };
  const delivery = dashboardQueries(readFileSync(DASHBOARD, 'utf8'), variables).filter(
    (q) => q.panel === 'Delivery success',
  );
  expect(delivery.map((q) => q.refId)).toEqual(['A', 'B']);
  const value = async (refId: string) => {
    const { result } = await prometheus.api<{ result: Sample[] }>('query', {
      query: delivery.find((q) => q.refId === refId)!.expr,
      time: String(time / 1000),
    });
    return Number(result[0]?.value[1]);
  };
  // Every message of the round was delivered but the 3 of 15 sent to the blocked prefix, which
  // Kaarai refused with 4031 (not the gateway's failure).
  expect(await value('A')).toBeCloseTo(1, 6);
  expect(await value('B')).toBeCloseTo(3 / 15, 6);
});

it("the dashboard's variables list this run's instances", async () => {
  const variables = dashboardVariableQueries(readFileSync(DASHBOARD, 'utf8'), GRAFANA_VARIABLES);
  expect(variables.map((v) => v.name)).toEqual(['namespace', 'instance']);
  for (const variable of variables) expect(await series(variable.selector)).not.toHaveLength(0);
  const instance = variables.find((v) => v.name === 'instance')!;
  const instances = new Set((await series(instance.selector)).map((labels) => labels[instance.label]));
  expect(instances).toEqual(
    new Set([new URL(api.adminUrl).host, new URL(worker.httpUrl).host, new URL(archiver.url).host]),
  );
});

it('every alert expression evaluates, and reads only metrics, labels and values that exist', async () => {
  const rules = await alertRules();
  const report = await Promise.all(
    rules.map(async (rule) => {
      // Most alerts are rightly false in this run: their expression then returns nothing, so
      // what it reads is checked selector by selector.
      await query(rule.query);
      return { alert: rule.name, problems: await problemsOf(rule.query) };
    }),
  );
  expect(report).toEqual(rules.map((rule) => ({ alert: rule.name, problems: [] })));
});

it("lists in docs/observability.md's metric table exactly the gateway metrics the services expose", async () => {
  const metadata = await prometheus.api<Record<string, unknown>>('metadata');
  const exposed = Object.keys(metadata)
    .filter((name) => name.startsWith('sms_'))
    .sort();
  const page = readFileSync(join(ROOT, 'docs', 'observability.md'), 'utf8');
  const documented = [...page.matchAll(/^\| `(sms_[a-z_]+)(?:\{[^}]*\})?` \|/gm)].map((m) => m[1]!).sort();
  expect(documented).toEqual(exposed);
});
