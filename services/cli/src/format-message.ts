import { formatFields, formatTable } from '@sms/cli-text';
import type { AcceptedMessageView, MessageOptionsView, MessageStatusView } from '@sms/contracts';

/** What `GET /v1/sms?reference=` answers. */
export interface FoundMessages {
  readonly reference: string;
  readonly messages: readonly MessageStatusView[];
}

/** The answer to `sms send`: the new message's id and where it stands. */
export function formatAccepted(view: AcceptedMessageView, replayed: boolean): string {
  return formatFields([
    ['id', view.id],
    ['status', view.status],
    ...optionFields(view),
    ['note', replayed ? 'sent before with this --idempotency-key: no new message was made' : undefined],
  ]);
}

/** `sms status`: everything the status view holds, one field a line. */
export function formatStatus(view: MessageStatusView): string {
  return formatFields([
    ['id', view.id],
    ['status', view.status],
    ['to', view.to],
    ['attempts', String(view.attempts)],
    [
      'last code',
      view.lastCode === undefined
        ? undefined
        : `${view.lastCode}${view.lastMessage ? ` ${view.lastMessage}` : ''}`,
    ],
    ...optionFields(view),
    ['created at', view.createdAt],
    ['updated at', view.updatedAt],
  ]);
}

export function formatCanceled(view: MessageStatusView): string {
  return `Canceled ${view.id}: it will not be sent.`;
}

/** `sms find`: one line per message, newest first as the API lists them. */
export function formatFound(found: FoundMessages): string {
  if (found.messages.length === 0) return `No message with reference ${found.reference}.`;
  return formatTable(
    ['ID', 'STATUS', 'TO', 'ATTEMPTS', 'LAST CODE', 'SEND AT', 'UPDATED AT'],
    found.messages.map((view) => [
      view.id,
      view.status,
      view.to,
      String(view.attempts),
      view.lastCode === undefined ? '-' : String(view.lastCode),
      view.sendAt ?? '-',
      view.updatedAt,
    ]),
  );
}

function optionFields(view: MessageOptionsView): Array<[string, string | undefined]> {
  return [
    ['priority', view.priority],
    // Shown only when it is not the default, like the other options a message may lack.
    ['delivery', view.delivery === 'at-most-once' ? view.delivery : undefined],
    ['reference', view.reference],
    ['send at', view.sendAt],
    [
      'parts',
      view.segments === undefined ? undefined : `${view.segments} (${view.encoding ?? 'unknown encoding'})`,
    ],
  ];
}
