import { isDeliveryMode, isMessageStatus, isSmsEncoding, isSmsPriority } from '@sms/contracts';
import { checkedField } from '@sms/queue';
import type { StatusRecord } from './status-record';

/**
 * A status record from its hash (`HGETALL` of `key`), or undefined when there is none (or it has
 * no `client`). Throws `CorruptRecordError` when its `status`, `priority` or `encoding` is none
 * the gateway writes.
 */
export function parseStatusRecord(
  key: string,
  id: string,
  raw: Readonly<Record<string, string>>,
): StatusRecord | undefined {
  if (raw.status === undefined || raw.client === undefined) return undefined;
  return {
    id,
    status: checkedField(key, 'status', raw.status, isMessageStatus),
    client: raw.client,
    to: raw.to ?? '',
    attempts: Number(raw.attempts ?? 0),
    ...(raw.lastCode !== undefined && { lastCode: Number(raw.lastCode) }),
    ...(raw.lastMessage !== undefined && { lastMessage: raw.lastMessage }),
    createdAt: Number(raw.createdAt ?? raw.updatedAt),
    updatedAt: Number(raw.updatedAt),
    ...(raw.priority !== undefined && {
      priority: checkedField(key, 'priority', raw.priority, isSmsPriority),
    }),
    ...(raw.delivery !== undefined && {
      delivery: checkedField(key, 'delivery', raw.delivery, isDeliveryMode),
    }),
    ...(raw.reference !== undefined && { reference: raw.reference }),
    ...(raw.sendAt !== undefined && { sendAt: Number(raw.sendAt) }),
    ...(raw.encoding !== undefined && {
      encoding: checkedField(key, 'encoding', raw.encoding, isSmsEncoding),
    }),
    ...(raw.segments !== undefined && { segments: Number(raw.segments) }),
  };
}
