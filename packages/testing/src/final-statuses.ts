import { isFinalStatus, type MessageStatus } from '@sms/contracts';
import { mapConcurrently } from './map-concurrently';
import type { ApiProcess } from './start-api-process';
import { waitFor } from './wait-for';

/** Waits until every message has a final status (`GET /v1/sms/:id`) and returns the statuses, by id. */
export function finalStatuses(
  api: ApiProcess,
  ids: readonly string[],
  timeoutMs: number,
): Promise<Map<string, string>> {
  return waitFor(
    async () => {
      const views = await mapConcurrently(ids, 16, (id) => api.status(id));
      return views.every((view) => isFinal(view.status))
        ? new Map(views.map((view, i) => [ids[i]!, view.status]))
        : undefined;
    },
    { timeoutMs, intervalMs: 250, description: 'every message to reach a final status' },
  );
}

/** True for a status after which a message no longer changes (`@sms/contracts`). */
export function isFinal(status: string): boolean {
  return isFinalStatus(status as MessageStatus);
}

/** How many statuses have each value, e.g. `{ accepted: 99, failed: 1 }`. */
export function countStatuses(statuses: ReadonlyMap<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses.values()) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
