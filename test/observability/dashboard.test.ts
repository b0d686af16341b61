import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// The dashboard's shape, which Grafana would accept without complaint but a reader would trip
// over: its queries are run against a real Prometheus in prometheus-queries.test.ts.
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: { readonly uid?: string };
  readonly targets?: ReadonlyArray<{
    readonly refId: string;
    readonly expr?: string;
    readonly datasource?: { readonly uid?: string };
  }>;
}

const dashboard = JSON.parse(
  readFileSync(resolve(__dirname, '..', '..', 'deploy', 'grafana', 'dashboards', 'sms-gateway.json'), 'utf8'),
) as { uid: string; title: string; panels: Panel[] };
const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
// Grafana's reference to the dashboard's "Data source" variable.
const DATA_SOURCE = '$' + '{datasource}';

it('is the "SMS gateway" dashboard docs/observability.md names, with a stable uid', () => {
  expect({ uid: dashboard.uid, title: dashboard.title }).toEqual({
    uid: 'sms-gateway',
    title: 'SMS gateway',
  });
});

it('gives every panel a unique id, a title and at least one query on the chosen data source', () => {
  const ids = dashboard.panels.map((panel) => panel.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const panel of panels) {
    expect(panel.title).not.toBe('');
    expect(panel.targets?.length).toBeGreaterThan(0);
    expect(panel.datasource?.uid).toBe(DATA_SOURCE);
    for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe(DATA_SOURCE);
  }
});

it('lays the panels out on the 24-column grid without overlaps', () => {
  const cells = new Map<string, string>();
  const overlaps: string[] = [];
  for (const panel of dashboard.panels) {
    const { x, y, w, h } = panel.gridPos;
    expect(x + w).toBeLessThanOrEqual(24);
    for (let row = y; row < y + h; row++) {
      for (let column = x; column < x + w; column++) {
        const cell = `${row}:${column}`;
        const other = cells.get(cell);
        if (other !== undefined) overlaps.push(`${panel.title} over ${other}`);
        cells.set(cell, panel.title);
      }
    }
  }
  expect([...new Set(overlaps)]).toEqual([]);
});

it('shows Redis, the single point of failure, as the services measure it: connection and round trip', () => {
  const rowAt = dashboard.panels.findIndex((panel) => panel.type === 'row' && panel.title === 'Redis');
  expect(rowAt).toBeGreaterThan(-1);
  const nextRow = dashboard.panels.findIndex((panel, i) => i > rowAt && panel.type === 'row');
  const exprs = dashboard.panels
    .slice(rowAt + 1, nextRow === -1 ? undefined : nextRow)
    .flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? ''));
  expect(exprs.filter((expr) => expr.includes('sms_redis_connected{'))).not.toHaveLength(0);
  expect(
    exprs.filter((expr) => /^histogram_quantile\(.*sms_redis_command_duration_seconds_bucket\{/.test(expr)),
  ).not.toHaveLength(0);
});

it('shows the history archive: backlog, its oldest entry, outcomes, batch duration, failures, PostgreSQL and overflow', () => {
  const rowAt = dashboard.panels.findIndex(
    (panel) => panel.type === 'row' && panel.title === 'History archive',
  );
  expect(rowAt).toBeGreaterThan(-1);
  const nextRow = dashboard.panels.findIndex((panel, i) => i > rowAt && panel.type === 'row');
  const exprs = dashboard.panels
    .slice(rowAt + 1, nextRow === -1 ? undefined : nextRow)
    .flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? ''));
  const read = (metric: string) => exprs.filter((expr) => expr.includes(`${metric}{`));
  for (const metric of [
    'sms_archive_backlog_messages',
    'sms_archive_backlog_oldest_age_seconds',
    'sms_archive_overflowed_total',
    'sms_archived_messages_total',
    'sms_archive_failures_total',
    'sms_archive_postgres_up',
  ]) {
    expect([metric, read(metric).length]).toEqual([metric, 1]);
  }
  expect(read('sms_archived_messages_total')[0]).toMatch(/^sum by \(outcome\) \(rate\(/);
  expect(
    exprs.filter((expr) =>
      /^histogram_quantile\(0\.99, .*sms_archive_batch_duration_seconds_bucket\{/.test(expr),
    ),
  ).toHaveLength(1);
  // Shared state that every API and worker reports alike: max, never sum.
  for (const metric of ['sms_archive_backlog_messages', 'sms_archive_overflowed_total']) {
    expect(read(metric)[0]).toMatch(/^max\(/);
  }
});

it("counts Kaarai's refusals for the client's data (4001-4003, 4031) apart from the delivery failures", () => {
  const delivery = panels.find((panel) => panel.title === 'Delivery success')!;
  const [delivered, refused] = (delivery.targets ?? []).map((target) => target.expr ?? '');
  const clientData = 'outcome="dead_letter", code=~"4001|4002|4003|4031"';
  // Taken off the dead letters in the delivered share, and a share of its own.
  expect(delivered).toMatch(
    new RegExp(`sms_messages_dead_lettered_total.*\\) - \\(.*${escapeRegExp(clientData)}`, 's'),
  );
  expect(refused).toMatch(
    new RegExp(`^\\(sum\\(rate\\(sms_provider_answers_total\\{[^}]*${escapeRegExp(clientData)}`),
  );
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
