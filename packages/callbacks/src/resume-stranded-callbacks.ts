import type { CallbackOutbox } from './callback-outbox';
import { type CallbackJobSettings, type CallbackQueue, scheduleCallbacks } from './callback-queue';

export interface ResumeSettings extends CallbackJobSettings {
  /** An outbox that has not moved for this long is given a job, in ms. */
  readonly staleAfterMs: number;
  /** Most outboxes looked after in one pass. */
  readonly batch: number;
}

/**
 * Gives a job to every outbox that waits with none: the events of a message whose producer or
 * callback job died between its two steps (see `CallbackOutbox.stale`). Adding a job is safe even
 * when one exists: deduplication keeps one per message. Resolves with how many were resumed.
 */
export async function resumeStrandedCallbacks(
  outbox: CallbackOutbox,
  queue: CallbackQueue,
  settings: ResumeSettings,
): Promise<number> {
  let resumed = 0;
  for (const messageId of await outbox.stale(settings.staleAfterMs, settings.batch)) {
    const head = await outbox.head(messageId);
    if (head !== undefined) {
      await scheduleCallbacks(queue, { messageId, client: head.pending.client }, settings);
      resumed += 1;
    }
    await outbox.touch(messageId);
  }
  return resumed;
}
