import type { GivenUpCallbackDetails, GivenUpPage } from '@sms/callbacks';
import { type Field, formatFields, formatTable, truncate } from '@sms/cli-text';

const ERROR_WIDTH = 60;

export function formatGivenUpList(page: GivenUpPage): string {
  if (page.callbacks.length === 0)
    return page.total === 0 ? 'No given-up callbacks match.' : 'No more given-up callbacks.';
  const table = formatTable(
    ['GIVEN UP AT', 'ID', 'STATUS', 'CLIENT', 'HOST', 'ATTEMPTS', 'LAST ERROR'],
    page.callbacks.map((callback) => [
      callback.givenUpAt,
      callback.id,
      callback.status,
      callback.client,
      callback.host,
      String(callback.attempts),
      truncate(callback.lastError, ERROR_WIDTH),
    ]),
  );
  const footer = `${page.callbacks.length} of ${page.total}${
    page.nextCursor === undefined ? '' : `; next page: --cursor ${page.nextCursor}`
  }`;
  return `${table}\n\n${footer}`;
}

export function formatGivenUpDetails(details: GivenUpCallbackDetails): string {
  const fields: Field[] = [
    ['id', details.id],
    ['message', details.messageId],
    ['sequence', String(details.sequence)],
    ['status', details.status],
    ['changed at', details.at],
    ['client', details.client],
    ['receiver host', details.host],
    ['given up at', details.givenUpAt],
    ['attempts', String(details.attempts)],
    ['last error', details.lastError],
  ];
  return `${formatFields(fields)}\n\nbody a replay posts (signed when posted):\n  ${JSON.stringify(details.event)}`;
}

export function formatReplayAllCallbacksRefused(matching: number): string {
  return matching === 0
    ? 'No given-up callbacks match; nothing to replay.'
    : `${matching} given-up callback${matching === 1 ? '' : 's'} match. Nothing was replayed: add --yes to replay ${
        matching === 1 ? 'it' : 'them'
      }.`;
}
