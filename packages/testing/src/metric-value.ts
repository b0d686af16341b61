/**
 * The value of one sample in a Prometheus text exposition, e.g.
 * `metricValue(text, 'sms_sending_held')` or
 * `metricValue(text, 'sms_messages_sent_total', { code: '2020' })`; `undefined` when absent.
 */
export function metricValue(
  exposition: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const wanted = Object.entries(labels);
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map(
      [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    if (wanted.every(([key, value]) => present.get(key) === value)) return Number(match[3]);
  }
  return undefined;
}
