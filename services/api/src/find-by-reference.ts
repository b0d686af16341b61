import { type MessageStatusView, SMS_REQUEST_FIELDS } from '@sms/contracts';
import type { ReferenceIndex } from '@sms/status-store';
import { ApiError } from './api-error';
import { findUnrecorded, type MessageSources, ownView } from './find-message';

export interface ReferenceSources extends MessageSources {
  readonly referenceIndex: Pick<ReferenceIndex, 'keep'>;
}

const referenceRule = SMS_REQUEST_FIELDS.reference;
const referenceSchema = referenceRule.schema();

/**
 * The `reference` of `GET /v1/sms?reference=`, checked by the rule of the request field, the
 * one query parameter the route reads; 4006 for any other, 4017 for a missing or bad one.
 */
export function referenceOf(query: Readonly<Record<string, unknown>>): string {
  const other = Object.keys(query).find((name) => name !== 'reference');
  if (other !== undefined) {
    throw new ApiError(
      4006,
      `unknown query parameter "${other.slice(0, 64)}"; allowed: reference`,
      other.slice(0, 64),
    );
  }
  if (query.reference === undefined)
    throw new ApiError(referenceRule.codes.invalid, '"reference" is required', 'reference');
  const parsed = referenceSchema.safeParse(query.reference);
  if (!parsed.success) {
    throw new ApiError(referenceRule.codes.invalid, parsed.error.issues[0]?.message, 'reference');
  }
  return parsed.data;
}

/**
 * Every message of `client` with this reference that still has a status, the most recently
 * accepted first (at most the index's `maxPerReference`), from Redis and the archive. References need not be unique, so
 * this is a list, empty when none is known.
 */
export async function findByReference(
  sources: ReferenceSources,
  client: string,
  reference: string,
): Promise<MessageStatusView[]> {
  const found = await sources.statusLookup.byReference(client, reference, sources.referenceIndex.keep);
  const views = await Promise.all(
    found.map(({ id, record }) =>
      // The archive was asked for the whole reference already: a late read is Redis' alone.
      record ? ownView(record, client) : findUnrecorded(sources, id, client, sources.statusStore),
    ),
  );
  return views.filter((view) => view !== undefined);
}
