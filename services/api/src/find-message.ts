import type { StatusLookup } from '@sms/archive';
import type { MessageStatusView } from '@sms/contracts';
import type { SmsQueue } from '@sms/queue';
import { recordIdentity, type StatusRecord, type StatusStore } from '@sms/status-store';
import { optionsView } from './message-views';

export interface MessageSources {
  readonly statusStore: StatusStore;
  /** Redis, then the archive (with DATABASE_URL) for a message past its hot window. */
  readonly statusLookup: Pick<StatusLookup, 'read' | 'byReference'>;
  readonly queue: SmsQueue;
}

/**
 * A message's status as its client may see it. The worker writes a status record from the
 * first attempt on; before that, the job itself in the queue proves the message is `queued`,
 * or `scheduled` while its `sendAt` is ahead. A message of another client is reported as absent.
 * The archive is asked last, and only for a message Redis knows nothing of: it holds final
 * messages only, whose jobs are gone.
 */
export async function findMessage(
  sources: MessageSources,
  id: string,
  client: string,
  now = Date.now(),
): Promise<MessageStatusView | undefined> {
  const record = await sources.statusStore.read(id);
  if (record) return ownView(record, client);
  return findUnrecorded(sources, id, client, sources.statusLookup, now);
}

/**
 * `findMessage` of a message whose Redis record was not there a moment ago: its job, else the
 * record `late` reads (written meanwhile, or archived).
 */
export async function findUnrecorded(
  sources: Pick<MessageSources, 'queue'>,
  id: string,
  client: string,
  late: Pick<StatusStore, 'read'>,
  now = Date.now(),
): Promise<MessageStatusView | undefined> {
  const job = await sources.queue.getJob(id);
  if (job?.data.client === client) {
    const scheduled = job.data.sendAt !== undefined && job.data.sendAt > now;
    return toView({
      id,
      status: scheduled ? 'scheduled' : 'queued',
      attempts: 0,
      ...recordIdentity(job.data),
      updatedAt: job.data.acceptedAt,
    });
  }
  // The job may have finished between the two reads; by then its record exists.
  const record = await late.read(id);
  return record && ownView(record, client);
}

/** The record's view, when it is `client`'s message. */
export function ownView(record: StatusRecord, client: string): MessageStatusView | undefined {
  return record.client === client ? toView(record) : undefined;
}

function toView(record: StatusRecord): MessageStatusView {
  return {
    id: record.id,
    status: record.status,
    to: record.to,
    attempts: record.attempts,
    ...(record.lastCode !== undefined && { lastCode: record.lastCode }),
    ...(record.lastMessage !== undefined && { lastMessage: record.lastMessage }),
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    ...optionsView(record),
  };
}
