import type { AttemptRecord, ReferenceIndex, StatusRecord, StatusStore } from '@sms/status-store';
import type { ArchiveReader } from './archive-reader';
import { ArchiveUnavailableError } from './archive-unavailable-error';
import type { ArchivedMessage } from './archived-message';

export interface StatusLookupDeps {
  readonly statusStore: Pick<StatusStore, 'read' | 'attempts'>;
  readonly referenceIndex: Pick<ReferenceIndex, 'ids' | 'accepted'>;
  /** The archive (with DATABASE_URL); without it every read is Redis alone, as it always was. */
  readonly archive?: Pick<ArchiveReader, 'read' | 'byReference'>;
  /**
   * The longest a read waits for the archive, in ms, before rejecting with
   * `ArchiveUnavailableError`: a PostgreSQL that stopped answering must fail a request before its
   * own deadline does. @defaultValue none: the pool's own timeouts
   */
  readonly archiveTimeoutMs?: number;
}

/** A message a reference names: its record when Redis or the archive has one. */
export interface ReferencedMessage {
  readonly id: string;
  readonly record?: StatusRecord;
}

/**
 * Reads of a message's status that outlive its Redis record: Redis first, which holds every
 * message for its hot window (and the ones never archived for their whole retention), then the
 * archive. A record Redis has always wins: it is the newer one (a replayed dead letter).
 * Rejects with `ArchiveUnavailableError` only when Redis has no record and the archive cannot be
 * asked: answering "absent" then could be a lie.
 */
export class StatusLookup {
  constructor(private readonly deps: StatusLookupDeps) {}

  /** Whether reads go on to the archive: only then can they reject with `ArchiveUnavailableError`. */
  get readsArchive(): boolean {
    return this.deps.archive !== undefined;
  }

  /** The record, from Redis, else from the archive; undefined when neither has it. */
  async read(id: string): Promise<StatusRecord | undefined> {
    const record = await this.deps.statusStore.read(id);
    if (record || !this.deps.archive) return record;
    const archived = await this.fromArchive((archive) => archive.read(id));
    return archived && withoutHistory(archived);
  }

  /** The attempts, oldest first: Redis' list while Redis has the record, else the archived history. */
  async attempts(id: string): Promise<AttemptRecord[]> {
    if (!this.deps.archive) return this.deps.statusStore.attempts(id);
    const [attempts, record] = await Promise.all([
      this.deps.statusStore.attempts(id),
      this.deps.statusStore.read(id),
    ]);
    if (record) return attempts;
    const archived = await this.fromArchive((archive) => archive.read(id));
    return archived ? [...archived.history] : attempts;
  }

  /**
   * The client's messages with this reference, most recently accepted first, at most `limit`:
   * the ids Redis' index holds (with their Redis records, absent for a message not yet tried)
   * and the archived ones. The archive is asked once for the whole list, never per id.
   */
  async byReference(client: string, reference: string, limit: number): Promise<ReferencedMessage[]> {
    const { statusStore, referenceIndex, archive } = this.deps;
    if (!archive) {
      const ids = await referenceIndex.ids(client, reference);
      return Promise.all(ids.slice(0, limit).map((id) => inRedis(statusStore, id)));
    }
    const [indexed, archived] = await Promise.all([
      referenceIndex.accepted(client, reference),
      this.fromArchive((reader) => reader.byReference(client, reference, limit)),
    ]);
    const found = new Map<string, ReferencedMessage & { readonly acceptedAt: number }>();
    await Promise.all(
      indexed.map(async ({ id, acceptedAt }) => {
        found.set(id, { ...(await inRedis(statusStore, id)), acceptedAt });
      }),
    );
    for (const message of archived) {
      const known = found.get(message.id);
      if (known?.record) continue;
      found.set(message.id, {
        id: message.id,
        record: withoutHistory(message),
        acceptedAt: message.createdAt,
      });
    }
    // Ties in the order Redis' index has them: its members by id, descending.
    return [...found.values()]
      .sort((a, b) => b.acceptedAt - a.acceptedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit)
      .map(({ id, record }) => (record ? { id, record } : { id }));
  }

  private fromArchive<T>(
    read: (archive: NonNullable<StatusLookupDeps['archive']>) => Promise<T>,
  ): Promise<T> {
    const { archive, archiveTimeoutMs } = this.deps;
    if (!archive) throw new Error('StatusLookup: no archive to read');
    const work = read(archive);
    if (archiveTimeoutMs === undefined) return work;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ArchiveUnavailableError(new Error(`no answer within ${archiveTimeoutMs} ms`))),
        archiveTimeoutMs,
      );
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }
}

async function inRedis(statusStore: Pick<StatusStore, 'read'>, id: string): Promise<ReferencedMessage> {
  const record = await statusStore.read(id);
  return record ? { id, record } : { id };
}

function withoutHistory(message: ArchivedMessage): StatusRecord {
  const { history: _history, ...record } = message;
  return record;
}
