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
    readonly datasource?: { readonly uid?: string };
  }>;
}

const dashboard = JSON.parse(
  readFileSync(resolve(__dirname, '..', '..', 'deploy', 'grafana', 'dashboards', 'sms-gateway.json'), 'utf8'),
) as { uid: string; title: string; panels: Panel[] };
const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
// Grafana's reference to the dashboard's "Data source" variable.
const DATA_SOURCE = '$' + '{datasource}';

it('is the "SMS gateway" dashboard the README names, with a stable uid', () => {
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
