import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type ApiProcess,
  type RunningSimulator,
  startApiProcess,
  startRedis,
  startSimulator,
  startWorkerProcess,
  type TestRedis,
  type WorkerProcess,
  waitFor,
} from '@sms/testing';
import { FAST_RETRIES, finalStatuses, newPrefix, Teardown, uniqueTexts } from '../faults/fault-fixture';
import { dashboardQueries, dashboardVariableQueries } from './dashboard-queries';
import { type VectorSelector, vectorSelectors } from './promql-selectors';
import { type RunningPrometheus, startPrometheus } from './start-prometheus';

// A real Prometheus scrapes a real API and worker (deploy/prometheus/prometheus-local.yml, with
// their ports and a 1 s interval put in) and loads the real alert rules, while traffic runs
// through the gateway: accepted messages, requests refused as bad input, 5030 answers that are
// retried and 4031 answers that are dead-lettered. Then every query of the Grafana dashboard and
// every alert expression is evaluated by Prometheus. Invariant: no panel and no rule reads a
// metric, a label or a label value that the services do not expose.
const ROOT = resolve(__dirname, '..', '..');
const PROMETHEUS_DIR = join(ROOT, 'deploy', 'prometheus');
const DASHBOARD = join(ROOT, 'deploy', 'grafana', 'dashboards', 'sms-gateway.json');
const BLOCKED_PREFIX = '57399';
// What the dashboard's variables and Grafana's own variables stand for while the queries run.
const GRAFANA_VARIABLES = { namespace: '.*', instance: '.*', __rate_interval: '1m', __range: '5m' };

const teardown = new Teardown();
let redis: TestRedis;
let simulator: RunningSimulator;
let api: ApiProcess;
let worker: WorkerProcess;
let prometheus: RunningPrometheus;

interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

beforeAll(async () => {
  [redis, simulator] = await Promise.all([
    startRedis().then((r) => teardown.add(r, (x) => x.stop())),
    startSimulator({ https: true }).then((s) => teardown.add(s, (x) => x.stop())),
  ]);
  const prefix = newPrefix();
  api = teardown.add(await startApiProcess({ redisUrl: redis.url, prefix }), (x) => x.stop());
  worker = teardown.add(
    await startWorkerProcess({
      redisUrl: redis.url,
      prefix,
      kaaraiUrl: simulator.httpsUrl!,
      caFile: simulator.caFile!,
      // The circuit would only slow the run down: the failures injected here are few on purpose.
      env: { ...FAST_RETRIES, CIRCUIT_MIN_CALLS: '1000' },
    }),
    (x) => x.stop(),
  );
  await worker.ready();
  prometheus = teardown.add(
    await startPrometheus(localConfig(api.url, worker.httpUrl), {
      'alerts.yml': readFileSync(join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8'),
    }),
    (x) => x.stop(),
  );
  await waitFor(
    async () => {
      const { activeTargets } = await prometheus.api<{ activeTargets: Array<{ health: string }> }>('targets');
      return activeTargets.length === 2 && activeTargets.every((t) => t.health === 'up');
    },
    { timeoutMs: 20_000, intervalMs: 200, description: 'prometheus to scrape the api and the worker' },
  );

  await simulator.admin.setSettings({ blockedPrefixes: [BLOCKED_PREFIX] });
  // Two rounds of traffic with a scrape in between, so that every counter a round creates has
  // grown between two scrapes and its rate is not zero.
  await runTraffic('first');
  await nextScrape();
  await runTraffic('second');
  await prometheusCaughtUp();
}, 90_000);

afterAll(() => teardown.run());

/** deploy/prometheus/prometheus-local.yml, pointed at the processes under test every second. */
function localConfig(apiUrl: string, workerUrl: string): string {
  let config = readFileSync(join(PROMETHEUS_DIR, 'prometheus-local.yml'), 'utf8');
  const replacements: Array<[string, string]> = [
    ['"127.0.0.1:8080"', `"${new URL(apiUrl).host}"`],
    ['"127.0.0.1:9100"', `"${new URL(workerUrl).host}"`],
    ['scrape_interval: 10s', 'scrape_interval: 1s'],
    ['evaluation_interval: 10s', 'evaluation_interval: 1s'],
  ];
  for (const [from, to] of replacements) {
    if (config.split(from).length !== 2) throw new Error(`prometheus-local.yml has no single ${from}`);
    config = config.replace(from, to);
  }
  return config;
}

/** Accepted messages (some answered 5030 first), 4031 refusals and requests refused as bad input. */
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
  const expected = {
    sms_provider_answers_total: total(await worker.metrics(), 'sms_provider_answers_total'),
    sms_api_messages_accepted_total: total(
      await (await fetch(`${api.url}/metrics`)).text(),
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
  if (found.length === 0) {
    const any = await series(selector.metric);
    return [any.length === 0 ? `no series of ${selector.metric}` : `no series matches ${match}`];
  }
  return selector.matchers
    .filter((m) => m.op !== '=' && !(m.op === '=~' && new RegExp(`^(?:${m.value})$`).test('')))
    .filter((m) => !found.some((labels) => m.label in labels))
    .map((m) => `${selector.metric} has no label ${m.label}`);
}

async function problemsOf(expr: string): Promise<string[]> {
  const selectors = vectorSelectors(expr);
  if (selectors.length === 0) return [`no metric found in ${expr}`];
  return (await Promise.all(selectors.map(selectorProblems))).flat();
}

const finite = (samples: readonly Sample[]) => samples.filter((s) => Number.isFinite(Number(s.value[1])));

it('scrapes the API and the worker under the job names the rules and the dashboard use', async () => {
  const jobs = (await query('up == 1')).map((s) => s.metric.job).sort();
  expect(jobs).toEqual(['sms-api', 'sms-worker']);
});

it('loads every alert rule, each with a severity, a summary, a description and a runbook', async () => {
  const rules = await alertRules();
  const runbooks = readFileSync(join(ROOT, 'deploy', 'README.md'), 'utf8');
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
    // The runbook is the section of deploy/README.md titled with the alert's name.
    expect(rule.annotations.runbook).toBe(`deploy/README.md#${rule.name.toLowerCase()}`);
  }
  const withoutRunbook = rules.map((rule) => rule.name).filter((name) => !runbooks.includes(`### ${name}\n`));
  expect(withoutRunbook).toEqual([]);
});

const panelQueries = dashboardQueries(readFileSync(DASHBOARD, 'utf8'), GRAFANA_VARIABLES);

it.each(panelQueries.map((q) => [`${q.panel} (${q.refId})`, q.expr]))(
  'dashboard query of "%s" returns data',
  async (_name, expr) => {
    const samples = await query(expr);
    expect({ expr, problems: await problemsOf(expr) }).toEqual({ expr, problems: [] });
    expect({ expr, finite: finite(samples).length > 0 }).toEqual({ expr, finite: true });
  },
);

it("the dashboard's variables list this run's instances", async () => {
  const variables = dashboardVariableQueries(readFileSync(DASHBOARD, 'utf8'), GRAFANA_VARIABLES);
  expect(variables.map((v) => v.name)).toEqual(['namespace', 'instance']);
  for (const variable of variables) expect(await series(variable.selector)).not.toHaveLength(0);
  const instance = variables.find((v) => v.name === 'instance')!;
  const instances = new Set((await series(instance.selector)).map((labels) => labels[instance.label]));
  expect(instances).toEqual(new Set([new URL(api.url).host, new URL(worker.httpUrl).host]));
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

it("lists in the README's metric table exactly the gateway metrics the services expose", async () => {
  const metadata = await prometheus.api<Record<string, unknown>>('metadata');
  const exposed = Object.keys(metadata)
    .filter((name) => name.startsWith('sms_'))
    .sort();
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const documented = [...readme.matchAll(/^\| `(sms_[a-z_]+)(?:\{[^}]*\})?` \|/gm)].map((m) => m[1]!).sort();
  expect(documented).toEqual(exposed);
});
