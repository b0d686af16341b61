import { ReplyError } from 'ioredis';
import { DeadlinePassedError } from './deadline-passed-error';

// ioredis' rejection of a command it did not send: no connection, and no offline queue
// (createProducerConnection).
const NOT_SENT = "Stream isn't writeable";

/**
 * False when a failed Redis write certainly stored nothing: Redis answered it with an error
 * (a refusal past its deadline included), or it was never sent. True otherwise, chiefly when the
 * connection was lost after the write was sent: Redis may have run it before dying, or its
 * answer may have been lost on the way.
 */
export function mayHaveBeenWritten(error: unknown): boolean {
  if (error instanceof DeadlinePassedError || error instanceof ReplyError) return false;
  return !(error instanceof Error && error.message.startsWith(NOT_SENT));
}
