import { createHash } from 'node:crypto';
import type { ValidationResult } from '@sms/contracts';
import { requestHash } from '../idempotency';

/**
 * The id of the message at `index` of a batch: a UUID (version 8, made from a hash) of the
 * batch id and the index. An Idempotency-Key remembers only the batch id, and a repeat finds
 * every message under the same id again.
 */
export function batchMessageId(batchId: string, index: number): string {
  const bytes = createHash('sha256').update(`${batchId}/${index}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The hash an Idempotency-Key keeps for a batch: two batches are the same request when they
 * validate to the same messages and the same refusals in the same places. It cannot equal a
 * single message's hash, so one key cannot serve a message and a batch.
 */
export function batchHash(items: readonly ValidationResult[]): string {
  const lines = items.map((item) =>
    item.ok ? requestHash(item.value) : `!${item.error.code}:${item.error.field ?? ''}`,
  );
  return createHash('sha256')
    .update(`batch\n${lines.join('\n')}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}
