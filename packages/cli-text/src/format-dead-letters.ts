import type { DeadLetterDetails, DeadLetterPage, ReplayAllResult, ReplayResult } from '@sms/dead-letters';
import { type Field, formatFields } from './format-fields';
import { formatTable, printable, truncate } from './format-table';

// Wide enough for Kaarai's messages, narrow enough for a terminal line.
const MESSAGE_WIDTH = 60;

export function formatList(page: DeadLetterPage): string {
  if (page.items.length === 0) return page.total === 0 ? 'No dead letters match.' : 'No more dead letters.';
  const table = formatTable(
    ['DEAD-LETTERED AT', 'ID', 'REASON', 'CODE', 'ATTEMPTS', 'CLIENT', 'TO', 'MESSAGE'],
    page.items.map((item) => [
      item.deadLetteredAt,
      item.id,
      item.reason,
      item.code === undefined ? '-' : String(item.code),
      String(item.attempts),
      item.client,
      item.to,
      truncate(item.replayInterrupted ? `(replay interrupted) ${item.message}` : item.message, MESSAGE_WIDTH),
    ]),
  );
  const footer = `${page.items.length} shown, ${page.total} matching.${
    page.nextCursor ? ` Next page: --cursor ${page.nextCursor}` : ''
  }`;
  return `${table}\n\n${footer}`;
}

export function formatDetails(details: DeadLetterDetails): string {
  const { payload, status } = details;
  const fields: Field[] = [
    ['id', details.id],
    [
      'reason',
      `${details.reason}${details.code === undefined ? '' : ` (code ${details.code})`}: ${details.message}`,
    ],
    ['dead-lettered at', details.deadLetteredAt],
    ['attempts', String(details.attempts)],
    ['replay', details.replayInterrupted ? 'interrupted; replay it again to finish' : undefined],
    ['to', payload.to],
    ['from', payload.from],
    ['client', payload.client],
    ['accepted at', payload.acceptedAt],
    ['expires at', payload.expiresAt],
    ['request id', payload.requestId],
    [
      'status',
      status &&
        `${status.status}, ${status.attempts} attempt(s)${
          status.lastCode === undefined ? '' : `, last code ${status.lastCode}`
        }, updated ${status.updatedAt}`,
    ],
  ];
  const text = printable(payload.text, true)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  const history =
    details.history.length === 0
      ? '  (none recorded)'
      : formatTable(
          ['ATTEMPT', 'AT', 'OUTCOME', 'CODE', 'MESSAGE'],
          details.history.map((a) => [
            String(a.attempt),
            a.at,
            a.outcome,
            a.code === undefined ? '-' : String(a.code),
            truncate(a.message, MESSAGE_WIDTH),
          ]),
        );
  return `${formatFields(fields)}\n\ntext:\n${text}\n\nhistory:\n${history}`;
}

export function formatReplay(result: ReplayResult): string {
  switch (result.outcome) {
    case 'replayed':
      return `Replayed ${result.id}${result.expiresAt ? `; valid until ${result.expiresAt}` : ''}.`;
    case 'not_found':
      return `${result.id} is not in the dead-letter queue (already replayed or deleted, or being replayed right now).`;
    case 'busy':
      return `${result.id} is still being processed by a worker; replay it again in a moment.`;
  }
}

export function formatReplayAll(result: ReplayAllResult): string {
  const lines = [`Replayed ${result.replayed} of ${result.matched} matching dead letters.`];
  if (result.notFound > 0) lines.push(`${result.notFound} left the queue before their turn.`);
  if (result.busy > 0)
    lines.push(`${result.busy} were still being processed; run the command again for them.`);
  if (result.failed > 0)
    lines.push(`${result.failed} failed, the first with: ${printable(result.firstError ?? '')}`);
  return lines.join('\n');
}

export function formatReplayAllRefused(matching: number): string {
  return matching === 0
    ? 'No dead letters match; nothing to replay.'
    : `${matching} dead letter${matching === 1 ? '' : 's'} match. Nothing was replayed: add --yes to replay ${
        matching === 1 ? 'it' : 'them'
      }.`;
}
