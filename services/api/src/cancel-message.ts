import type { StatusEvents } from '@sms/callbacks';
import { isFinalStatus, type MessageStatus, type MessageStatusView } from '@sms/contracts';
import { recordIdentity } from '@sms/status-store';
import { ApiError } from './api-error';
import { findMessage, type MessageSources } from './find-message';

/**
 * Cancels a message of `client` that no worker has tried yet, and answers its status view
 * (`canceled`); `ApiError` 4041 when there is no such message, 409 when it is too late.
 *
 * What makes it safe against a worker taking the message at the same moment is the status
 * record: `statusStore.cancel` writes `canceled` in one script, and only while no attempt was
 * made, and the worker's admission (sending-gate.ts) is one script too, which refuses a final
 * status and otherwise writes `sending` before any call to Kaarai. Redis runs the two one after
 * the other: either the admission came first and the cancel is refused (4091), or the cancel
 * came first and the message is never sent. Then the job is removed, so a scheduled message
 * does not wait for nothing; BullMQ will not remove a job a worker holds, and that worker
 * finishes it without sending once its admission finds `canceled`.
 */
export async function cancelMessage(
  sources: MessageSources & { readonly statusEvents?: StatusEvents },
  id: string,
  client: string,
): Promise<MessageStatusView> {
  const job = await sources.queue.getJob(id);
  if (!job) {
    // Without its job a message has ended, or a replay of it is about to add the job again.
    const record = await sources.statusLookup.read(id);
    if (record?.client !== client) throw unknownMessage(id);
    if (isFinalStatus(record.status)) throw tooLate(id, record.status);
    throw new ApiError(4090, `message ${id} is being put back on the queue; try again shortly`);
  }
  if (job.data.client !== client) throw unknownMessage(id);
  const outcome = await sources.statusStore.cancel(id, recordIdentity(job.data));
  if (!outcome.canceled) throw tooLate(id, outcome.status);
  await sources.queue.remove(id);
  // Not awaited: the client's answer does not wait for its receiver's event, which is queued
  // within its own time limit (and counted when it is not).
  void sources.statusEvents?.emit(id, job.data, 'canceled');
  const view = await findMessage(sources, id, client);
  if (!view) throw unknownMessage(id);
  return view;
}

const unknownMessage = (id: string) => new ApiError(4041, `no message with id ${id.slice(0, 64)}`);

function tooLate(id: string, status: MessageStatus): ApiError {
  return isFinalStatus(status)
    ? new ApiError(4092, `message ${id} can no longer be canceled: it is already ${status}`)
    : new ApiError(4091, `message ${id} can no longer be canceled: sending has started (status ${status})`);
}
