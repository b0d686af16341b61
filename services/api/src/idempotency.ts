import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { StatusLookup } from '@sms/archive';
import type { SmsRequest } from '@sms/contracts';
import { ApiError } from './api-error';
import type { IdempotencyClaim, IdempotencyStore } from './idempotency-store';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

// Printable ASCII, space included; the HTTP parser has already trimmed blanks around the value.
const KEY_SYNTAX = /^[\x20-\x7e]{1,255}$/;

/** The caller's Idempotency-Key, or undefined without the header; 4008 when it is malformed. */
export function idempotencyKeyOf(req: IncomingMessage): string | undefined {
  if (req.headers['idempotency-key'] === undefined) return undefined;
  // Node joins a repeated header with ", " in `headers`, which would make two keys look like one.
  const values = req.headersDistinct['idempotency-key'] ?? [];
  const [key] = values;
  if (values.length !== 1 || key === undefined || !KEY_SYNTAX.test(key)) {
    throw new ApiError(
      4008,
      `send one ${IDEMPOTENCY_KEY_HEADER} header of 1 to 255 printable ASCII characters`,
      IDEMPOTENCY_KEY_HEADER,
    );
  }
  return key;
}

/**
 * The validated request as JSON with sorted keys, hashed: the same request, the same hash. The
 * first 128 bits of SHA-256 are plenty to tell two requests under one key apart, and every byte
 * is kept in Redis for a day per key.
 */
export function requestHash(request: SmsRequest): string {
  const sorted = Object.fromEntries(Object.entries(request).sort(([a], [b]) => (a < b ? -1 : 1)));
  return sha256(JSON.stringify(sorted)).subarray(0, 16).toString('base64url');
}

export { type IdempotencyClaim, IdempotencyStore, type IdempotencyStoreOptions } from './idempotency-store';

export interface AcceptOnceDeps {
  readonly idempotencyStore: IdempotencyStore;
  /**
   * Whether the claimed message exists: Redis, then the archive, which alone holds a message
   * finished before the hot window (STATUS_HOT_SECONDS, shorter than the key's memory).
   */
  readonly statusLookup: Pick<StatusLookup, 'read'>;
}

export interface IdempotentRequest {
  readonly client: string;
  readonly idempotencyKey: string;
  readonly requestHash: string;
}

/**
 * Accepts a message at most once per client and Idempotency-Key, and resolves only once Redis
 * holds it. The first request claims the key for a new id, then enqueues. A repeat of the same
 * request answers with the claimed id, after making sure the message exists:
 * - with a status record (in Redis, or in the archive once Redis has let it go), a worker has
 *   taken the message: it exists, and is not added again;
 * - otherwise the job is added under the claimed id. BullMQ ignores the add while a job with
 *   that id exists, so racing repeats make one job, and each answers only after the job is in
 *   Redis. A first request whose enqueue failed (its caller got a 503, not the id) is
 *   completed by its repeat, so no 202 ever names a message that does not exist.
 * Should the job finish and be removed between the status read and the add, the job is added
 * again; the worker reads `statusStore.isFinal(id)` before sending (services/worker's
 * create-processor.ts) and finishes it without sending twice.
 *
 * A batch claims the key for a batch id in the same way; `enqueue(batchId, repeat)` adds its
 * messages, and on a repeat only those without a status record (batch/accept-batch.ts).
 */
export async function acceptOnce(
  deps: AcceptOnceDeps,
  request: IdempotentRequest,
  enqueue: (id: string, repeat: boolean) => Promise<void>,
): Promise<{ id: string; replayed: boolean }> {
  const fresh: IdempotencyClaim = { id: randomUUID(), requestHash: request.requestHash };
  const earlier = await deps.idempotencyStore.claim(request.client, request.idempotencyKey, fresh);
  if (earlier === undefined) {
    await enqueue(fresh.id, false);
    return { id: fresh.id, replayed: false };
  }
  if (earlier.requestHash !== request.requestHash) throw idempotencyConflict();
  // A batch's id has no status record of its own: its `enqueue` checks each of its messages.
  if ((await deps.statusLookup.read(earlier.id)) === undefined) await enqueue(earlier.id, true);
  return { id: earlier.id, replayed: true };
}

/** 4220: the key was claimed by another request. */
function idempotencyConflict(): ApiError {
  return new ApiError(
    4220,
    `this ${IDEMPOTENCY_KEY_HEADER} was used with a different request; use a new key for a new request`,
    IDEMPOTENCY_KEY_HEADER,
  );
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
