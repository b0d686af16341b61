import type { Pool } from 'pg';
import { unlessUnavailable } from './archive-unavailable-error';
import type { ArchivedMessage } from './archived-message';
import { COLUMN_LIST, type MessageRow, messageFromRow } from './message-row';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads archived records: what `GET /v1/sms/:id` and the reference lookup find past Redis. */
export class ArchiveReader {
  constructor(private readonly pool: Pool) {}

  /**
   * The archived message, or `undefined` when there is none. An `id` that is not a UUID cannot
   * be in the table (the column would refuse it): `undefined` without a query. Rejects with
   * `ArchiveUnavailableError` when PostgreSQL is out of reach.
   */
  async read(id: string): Promise<ArchivedMessage | undefined> {
    if (!UUID.test(id)) return undefined;
    const rows = await this.select('WHERE id = $1', [id]);
    return rows[0];
  }

  /**
   * The client's messages with this reference, the most recently created first, at most
   * `limit`. Rejects with `ArchiveUnavailableError` when PostgreSQL is out of reach.
   */
  byReference(client: string, reference: string, limit: number): Promise<ArchivedMessage[]> {
    return this.select('WHERE client = $1 AND reference = $2 ORDER BY created_at DESC LIMIT $3', [
      client,
      reference,
      limit,
    ]);
  }

  private async select(where: string, values: unknown[]): Promise<ArchivedMessage[]> {
    const { rows } = await unlessUnavailable(() =>
      this.pool.query<MessageRow>(`SELECT ${COLUMN_LIST} FROM sms_messages ${where}`, values),
    );
    return rows.map(messageFromRow);
  }
}
