/**
 * Where given-up callbacks live: one hash per event, indexed by when it was given up, once for
 * every client and once per client, so that a listing reads one page of one sorted set. Every
 * key starts with the queues' prefix (a hash tag), so the scripts' keys share a cluster slot.
 */
export const givenUpKeys = {
  record: (prefix: string, eventId: string) => `${prefix}:callback-given-up:${eventId}`,
  index: (prefix: string) => `${prefix}:callbacks-given-up`,
  clientIndex: (prefix: string, client: string) => `${prefix}:callbacks-given-up:client:${client}`,
  /** How many given-up callbacks were replayed, ever: read on scrape as sms_callbacks_replayed_total. */
  replayed: (prefix: string) => `${prefix}:callbacks-replayed`,
} as const;

/** The message and sequence an event id (`<messageId>:<sequence>`) names, or undefined. */
export function parseEventId(id: string): { messageId: string; sequence: number } | undefined {
  const separator = id.lastIndexOf(':');
  if (separator <= 0) return undefined;
  const sequence = Number(id.slice(separator + 1));
  if (!/^\d{1,15}$/.test(id.slice(separator + 1)) || sequence < 1) return undefined;
  return { messageId: id.slice(0, separator), sequence };
}
