import { createHash } from 'node:crypto';
import type { ValidationResult } from '@sms/contracts';
import { requestHash } from '../idempotency';
import { uuidText } from '../uuid-text';

/**
 * The id of the message at `index` of a batch: a UUID (version 8, made from a hash) of the
 * batch id and the index. An Idempotency-Key remembers only the batch id, and a repeat finds
 * every message under the same id again.
 */
export function batchMessageId(batchId: string, index: number): string {
  const bytes = createHash('sha256').update(`${batchId}/${index}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return uuidText(bytes);
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
