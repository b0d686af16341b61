import { type MessageStatus, maskNumber } from '@sms/contracts';
import type { DeadLetterEntry, DeadLetterReason } from '@sms/queue';
import type { AttemptRecord, StatusRecord } from '@sms/status-store';

/** One line of a listing. Times are ISO 8601 strings. */
export interface DeadLetterSummary {
  readonly id: string;
  readonly reason: DeadLetterReason;
  /** Kaarai's code of the last answer, when there was one. */
  readonly code?: number;
  readonly message: string;
  readonly attempts: number;
  readonly client: string;
  /** Receiver with its middle digits masked. */
  readonly to: string;
  readonly deadLetteredAt: string;
  /** A replay stopped after taking the entry out of the queue; replaying again finishes it. */
  readonly replayInterrupted?: true;
}

/** Everything known about a dead-lettered message, for an operator deciding what to do with it. */
export interface DeadLetterDetails extends Omit<DeadLetterSummary, 'to'> {
  /** The message as it was submitted, receiver and text in full. */
  readonly payload: {
    readonly to: string;
    readonly from?: string;
    readonly text: string;
    readonly client: string;
    readonly acceptedAt: string;
    readonly expiresAt?: string;
    readonly requestId?: string;
  };
  /** Every recorded call to Kaarai and every replay, oldest first. */
  readonly history: readonly AttemptView[];
  /** The status record, while it is kept (`STATUS_RETENTION_SECONDS`). */
  readonly status?: StatusView;
}

export interface AttemptView {
  readonly attempt: number;
  readonly code?: number;
  readonly outcome: string;
  readonly message: string;
  readonly at: string;
}

export interface StatusView {
  readonly status: MessageStatus;
  readonly attempts: number;
  readonly lastCode?: number;
  readonly lastMessage?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toSummary(id: string, entry: DeadLetterEntry, interrupted = false): DeadLetterSummary {
  return {
    id,
    reason: entry.reason,
    ...(entry.code !== undefined && { code: entry.code }),
    message: entry.message,
    attempts: entry.attempts,
    client: entry.client,
    to: maskNumber(entry.to),
    deadLetteredAt: iso(entry.deadLetteredAt),
    ...(interrupted && { replayInterrupted: true as const }),
  };
}

export function toDetails(
  id: string,
  entry: DeadLetterEntry,
  interrupted: boolean,
  attempts: readonly AttemptRecord[],
  record: StatusRecord | undefined,
): DeadLetterDetails {
  const { to: _masked, ...summary } = toSummary(id, entry, interrupted);
  return {
    ...summary,
    payload: {
      to: entry.to,
      ...(entry.from !== undefined && { from: entry.from }),
      text: entry.text,
      client: entry.client,
      acceptedAt: iso(entry.acceptedAt),
      ...(entry.expiresAt !== undefined && { expiresAt: iso(entry.expiresAt) }),
      ...(entry.requestId !== undefined && { requestId: entry.requestId }),
    },
    history: attempts.map((a) => ({
      attempt: a.attempt,
      ...(a.code !== undefined && { code: a.code }),
      outcome: a.outcome,
      message: a.message,
      at: iso(a.at),
    })),
    ...(record && {
      status: {
        status: record.status,
        attempts: record.attempts,
        ...(record.lastCode !== undefined && { lastCode: record.lastCode }),
        ...(record.lastMessage !== undefined && { lastMessage: record.lastMessage }),
        createdAt: iso(record.createdAt),
        updatedAt: iso(record.updatedAt),
      },
    }),
  };
}
