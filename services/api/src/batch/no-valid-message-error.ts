import type { ErrorBody, NoValidMessageBody } from '@sms/contracts';
import { ApiError } from '../api-error';

type Refusals = Omit<NoValidMessageBody, keyof ErrorBody>;

/** 4012: every message of a batch was refused; the body lists why, message by message. */
export class NoValidMessageError extends ApiError {
  override readonly details: Refusals;

  constructor(messages: Refusals['messages']) {
    super(4012, `none of the ${messages.length} messages is valid; "messages" says why, one by one`);
    this.details = { accepted: 0, rejected: messages.length, messages };
  }
}
