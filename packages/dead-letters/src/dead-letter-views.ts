import { MESSAGE_STATUSES, maskNumber } from '@sms/contracts';
import type { DeadLetterEntry } from '@sms/queue';
import type { AttemptRecord, StatusRecord } from '@sms/status-store';
import { z } from 'zod';
import { DEAD_LETTER_REASONS } from './dead-letter-query';

const isoTime = z.iso.datetime();
const count = z.int().nonnegative();

// The views are zod schemas so that the API's OpenAPI document shows exactly what is answered.

/** One line of a listing. Times are ISO 8601 strings. */
export const deadLetterSummarySchema = z.object({
  id: z.string(),
  reason: z.enum(DEAD_LETTER_REASONS),
  code: z.int().optional().meta({ description: "Kaarai's code of the last answer, when there was one." }),
  message: z.string(),
  attempts: count,
  client: z.string(),
  to: z.string().meta({ description: 'Receiver with its middle digits masked.' }),
  deadLetteredAt: isoTime,
  replayInterrupted: z.literal(true).optional().meta({
    description: 'A replay stopped after taking the entry out of the queue; replaying again finishes it.',
  }),
});
export type DeadLetterSummary = z.output<typeof deadLetterSummarySchema>;

export const attemptViewSchema = z.object({
  attempt: count,
  code: z.int().optional(),
  outcome: z.string(),
  message: z.string(),
  at: isoTime,
});
export type AttemptView = z.output<typeof attemptViewSchema>;

export const statusViewSchema = z.object({
  status: z.enum(MESSAGE_STATUSES),
  attempts: count,
  lastCode: z.int().optional(),
  lastMessage: z.string().optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type StatusView = z.output<typeof statusViewSchema>;

/** Everything known about a dead-lettered message, for an operator deciding what to do with it. */
export const deadLetterDetailsSchema = deadLetterSummarySchema.omit({ to: true }).extend({
  payload: z
    .object({
      to: z.string(),
      from: z.string().optional(),
      text: z.string(),
      client: z.string(),
      acceptedAt: isoTime,
      expiresAt: isoTime.optional(),
      requestId: z.string().optional(),
    })
    .meta({ description: 'The message as it was submitted, receiver and text in full.' }),
  history: z
    .array(attemptViewSchema)
    .meta({ description: 'Every recorded call to Kaarai and every replay, oldest first.' }),
  status: statusViewSchema
    .optional()
    .meta({ description: 'The status record, while it is kept (STATUS_RETENTION_SECONDS).' }),
});
export type DeadLetterDetails = z.output<typeof deadLetterDetailsSchema>;

/** One page of a listing. */
export const deadLetterPageSchema = z.object({
  items: z.array(deadLetterSummarySchema),
  total: count.meta({ description: 'Entries matching the filter, over all pages.' }),
  nextCursor: z
    .string()
    .optional()
    .meta({ description: 'Pass as cursor for the next page; absent on the last page.' }),
});
export type DeadLetterPage = z.output<typeof deadLetterPageSchema>;

/** A message put back on the send queue. */
export const replayedSchema = z.object({
  outcome: z.literal('replayed'),
  id: z.string(),
  expiresAt: isoTime.optional(),
});

export const replayAllResultSchema = z.object({
  matched: count.meta({ description: 'Entries that matched the filter when the replay began.' }),
  replayed: count,
  notFound: count.meta({ description: 'Gone before their turn came: replayed or deleted meanwhile.' }),
  busy: count.meta({
    description: 'Their last send job was still finishing; run the replay again for them.',
  }),
  failed: count.meta({ description: 'Failed with an error (Redis unavailable, most likely).' }),
  firstError: z.string().optional(),
});
export type ReplayAllResult = z.output<typeof replayAllResultSchema>;

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
