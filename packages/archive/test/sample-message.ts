import { randomUUID } from 'node:crypto';
import type { ArchivedMessage } from '@sms/archive';

/** 2026-03-14 12:00 UTC: a fixed day, so that partition names are known in advance. */
export const DAY = Date.UTC(2026, 2, 14, 12);
export const DAY_MS = 86_400_000;

/** A delivered message with only the fields every record has, and `overrides`. */
export function sampleMessage(overrides: Partial<ArchivedMessage> = {}): ArchivedMessage {
  return {
    id: randomUUID(),
    status: 'accepted',
    client: 'billing',
    to: '57300****567',
    attempts: 1,
    createdAt: DAY,
    updatedAt: DAY + 1_250,
    history: [{ attempt: 1, code: 2000, outcome: 'success', message: 'accepted', at: DAY + 1_200 }],
    ...overrides,
  };
}
