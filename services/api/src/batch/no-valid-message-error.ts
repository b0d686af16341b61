import { ApiError } from '../api-error';
import type { BatchItemAnswer } from './accept-batch';

/** 4012: every message of a batch was refused; the body lists why, message by message. */
export class NoValidMessageError extends ApiError {
  override readonly details: { accepted: 0; rejected: number; messages: readonly BatchItemAnswer[] };

  constructor(messages: readonly BatchItemAnswer[]) {
    super(4012, `none of the ${messages.length} messages is valid; "messages" says why, one by one`);
    this.details = { accepted: 0, rejected: messages.length, messages };
  }
}
