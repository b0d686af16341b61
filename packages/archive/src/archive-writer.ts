import type { Pool } from 'pg';
import { createPartitions } from './archive-partitions';
import { unlessUnavailable } from './archive-unavailable-error';
import type { ArchivedMessage } from './archived-message';
import { inTransaction } from './in-transaction';
import { COLUMN_LIST, COLUMNS } from './message-row';

// One array per column, unnested into rows: a statement of 15 parameters whatever the batch's
// size, which PostgreSQL parses and plans once, where a VALUES list of 500 rows has 7,500.
const INSERT = `
INSERT INTO sms_messages (${COLUMN_LIST})
SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
ON CONFLICT (id, created_at) DO UPDATE SET
  ${COLUMNS.filter(([name]) => name !== 'id' && name !== 'created_at')
    .map(([name]) => `${name} = EXCLUDED.${name}`)
    .join(',\n  ')}
WHERE sms_messages.updated_at < EXCLUDED.updated_at`;

/** Writes final records to the archive, as the archiver moves them out of Redis. */
export class ArchiveWriter {
  constructor(private readonly pool: Pool) {}

  /**
   * Writes `messages` in one transaction, creating the day partitions they need first. A row
   * already there is replaced only by a later `updatedAt`, so writing the same batch twice (a
   * batch retried after its acknowledgement was lost) changes nothing. Resolves with the number
   * of rows inserted or replaced; rejects with `ArchiveUnavailableError` when PostgreSQL is out
   * of reach. The batch is then written wholly or not at all (not knowing which when the answer
   * to COMMIT was lost): writing it again settles it.
   */
  async write(messages: readonly ArchivedMessage[]): Promise<number> {
    const latest = latestOfEach(messages);
    if (latest.length === 0) return 0;
    return unlessUnavailable(() =>
      inTransaction(this.pool, async (client) => {
        await createPartitions(
          client,
          latest.map((message) => message.createdAt),
        );
        const result = await client.query(
          INSERT,
          COLUMNS.map(([, , value]) => latest.map(value)),
        );
        return result.rowCount ?? 0;
      }),
    );
  }
}

/**
 * One message per id, the latest written: a message reopened by a dead-letter replay and final
 * again can come twice in one batch, and one INSERT may not update a row twice.
 */
function latestOfEach(messages: readonly ArchivedMessage[]): ArchivedMessage[] {
  const byId = new Map<string, ArchivedMessage>();
  for (const message of messages) {
    const seen = byId.get(message.id);
    if (!seen || seen.updatedAt < message.updatedAt) byId.set(message.id, message);
  }
  return [...byId.values()];
}
