import { type ValidationLimits, type ValidationResult, validateSmsRequest } from '@sms/contracts';
import { ApiError } from '../api-error';

export interface BatchLimits extends ValidationLimits {
  /** Most messages in one batch (MAX_BATCH_MESSAGES). */
  readonly maxBatchMessages: number;
}

const KNOWN_FIELDS = new Set(['messages']);

/**
 * Reads a batch body, `{"messages": [...]}`, into each message as `POST /v1/sms` judges it
 * (`validateSmsRequest`), in order. A body that is not such a list is refused whole: 4011 (or
 * 4006 for another field), 413 with 4131 past `maxBatchMessages`.
 */
export function readBatch(body: unknown, limits: BatchLimits): ValidationResult[] {
  const shape = `the body must be a JSON object {"messages": [...]} with 1 to ${limits.maxBatchMessages} messages`;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(4011, shape);
  for (const key of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(key))
      throw new ApiError(4006, `unknown field "${key.slice(0, 64)}"; allowed: messages`, key);
  }
  const { messages } = body as { messages?: unknown };
  if (!Array.isArray(messages) || messages.length === 0) throw new ApiError(4011, shape, 'messages');
  if (messages.length > limits.maxBatchMessages) {
    throw new ApiError(
      4131,
      `the batch has ${messages.length} messages; the most is ${limits.maxBatchMessages}`,
      'messages',
    );
  }
  return messages.map((message) => validateSmsRequest(message, limits));
}
