import type { DeliveryMode, MessageStatus, SmsEncoding, SmsPriority } from '@sms/contracts';
import type { AttemptRecord } from '@sms/status-store';
import type { ArchivedMessage } from './archived-message';

/** A row of `sms_messages` as pg returns it: timestamps as `Date`, absent fields as `null`. */
export interface MessageRow {
  readonly id: string;
  readonly created_at: Date;
  readonly updated_at: Date;
  readonly client: string;
  readonly recipient: string;
  readonly status: string;
  readonly attempts: number;
  readonly last_code: number | null;
  readonly last_message: string | null;
  readonly priority: string | null;
  readonly reference: string | null;
  readonly send_at: Date | null;
  readonly encoding: string | null;
  readonly segments: number | null;
  readonly history: AttemptRecord[];
  /** `null` for at-least-once, as Redis leaves the field out. */
  readonly delivery: string | null;
}

/**
 * Each column with its SQL type and the message's value for it, in the table's order: one
 * table that the insert, its arrays and the select are all built from.
 */
type Column = readonly [
  name: keyof MessageRow,
  type: string,
  value: (message: ArchivedMessage) => ColumnValue,
];
type ColumnValue = string | number | Date | null;

export const COLUMNS: readonly Column[] = [
  ['id', 'uuid', (m) => m.id],
  ['created_at', 'timestamptz', (m) => new Date(m.createdAt)],
  ['updated_at', 'timestamptz', (m) => new Date(m.updatedAt)],
  ['client', 'text', (m) => m.client],
  ['recipient', 'text', (m) => m.to],
  ['status', 'text', (m) => m.status],
  ['attempts', 'integer', (m) => m.attempts],
  ['last_code', 'integer', (m) => m.lastCode ?? null],
  ['last_message', 'text', (m) => m.lastMessage ?? null],
  ['priority', 'text', (m) => m.priority ?? null],
  ['reference', 'text', (m) => m.reference ?? null],
  ['send_at', 'timestamptz', (m) => (m.sendAt === undefined ? null : new Date(m.sendAt))],
  ['encoding', 'text', (m) => m.encoding ?? null],
  ['segments', 'integer', (m) => m.segments ?? null],
  ['history', 'jsonb', (m) => JSON.stringify(m.history)],
  ['delivery', 'text', (m) => m.delivery ?? null],
];

export const COLUMN_LIST = COLUMNS.map(([name]) => name).join(', ');

/**
 * The message a row holds, as it was written: fields absent then are absent now, times are
 * milliseconds again. Statuses, priorities and encodings are not checked here: only
 * `ArchiveWriter` writes the table, from typed records.
 */
export function messageFromRow(row: MessageRow): ArchivedMessage {
  return {
    id: row.id,
    status: row.status as MessageStatus,
    client: row.client,
    to: row.recipient,
    attempts: row.attempts,
    ...(row.last_code !== null && { lastCode: row.last_code }),
    ...(row.last_message !== null && { lastMessage: row.last_message }),
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
    ...(row.priority !== null && { priority: row.priority as SmsPriority }),
    ...(row.delivery !== null && { delivery: row.delivery as DeliveryMode }),
    ...(row.reference !== null && { reference: row.reference }),
    ...(row.send_at !== null && { sendAt: row.send_at.getTime() }),
    ...(row.encoding !== null && { encoding: row.encoding as SmsEncoding }),
    ...(row.segments !== null && { segments: row.segments }),
    history: row.history.map(attemptInOrder),
  };
}

// jsonb keeps an object's keys in an order of its own (shortest first): put them back in the
// order the gateway writes them, so that a history shown as JSON reads the same as from Redis.
function attemptInOrder(entry: AttemptRecord): AttemptRecord {
  return {
    attempt: entry.attempt,
    ...(entry.code !== undefined && { code: entry.code }),
    outcome: entry.outcome,
    message: entry.message,
    at: entry.at,
  };
}
