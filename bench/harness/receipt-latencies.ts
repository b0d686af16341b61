import { type SimulatorAdmin, waitFor } from '@sms/testing';
import { type PosterResult, parsePostedText } from '../load/run-steady-poster';
import { type Percentiles, percentiles } from './percentiles';

/** Answers of a poster run in the 2xx range. */
export function accepted(run: PosterResult): number {
  return Object.entries(run.statuses)
    .filter(([status]) => status.startsWith('2'))
    .reduce((sum, [, count]) => sum + count, 0);
}

/** Waits until the simulator holds `expected` texts of `label`, and returns their latencies. */
export async function receiptLatencies(
  admin: SimulatorAdmin,
  label: string,
  expected: number,
): Promise<Percentiles> {
  const latencies = await waitFor(
    async () => {
      const found: number[] = [];
      for (const message of await admin.messages()) {
        const posted = parsePostedText(message.text, label);
        if (posted) found.push(Date.parse(message.receivedAt) - posted.sentAt);
      }
      return found.length >= expected ? found : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500, description: `${expected} "${label}" messages at the simulator` },
  );
  return percentiles(latencies);
}
