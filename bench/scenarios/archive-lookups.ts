import { createHash, randomUUID } from 'node:crypto';
import {
  type ArchivedMessage,
  ArchiveReader,
  ArchiveWriter,
  createArchivePool,
  ensurePartitions,
} from '@sms/archive';
import { mapConcurrently, startPostgres } from '@sms/testing';
import { percentiles } from '../harness/percentiles';
import type { Figure, Scenario } from '../scenario';

// An archive as a week of traffic leaves it: rows spread evenly over `days` UTC days, one
// partition each, every message with a client reference shared by two messages and a history of
// one attempt, as the archiver writes them. The sizes are even: rows 2k and 2k + 1 share a reference.
const START = Date.UTC(2026, 2, 1);
const CLIENTS = 50;
// A server sized as a small archive would be, and a load that need not survive a crash.
const SETTINGS = {
  shared_buffers: '512MB',
  maintenance_work_mem: '256MB',
  max_wal_size: '8GB',
  checkpoint_timeout: '30min',
  autovacuum: 'off',
};

/** The id of row `i`: md5, so that the look-ups can name rows that SQL generated. */
function idOf(i: number): string {
  const hex = createHash('md5').update(String(i)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const clientOf = (i: number) => `client-${Math.floor(i / 2) % CLIENTS}`;
const referenceOf = (i: number) => `order-${Math.floor(i / 2)}`;

// Rows `$1` to `$2` (exclusive) of `$3`, spread over `$4` days; the columns as `idOf`, `clientOf`
// and `referenceOf` make them.
const FILL = `
INSERT INTO sms_messages (id, created_at, updated_at, client, recipient, status, attempts, last_code,
  last_message, priority, reference, encoding, segments, history)
SELECT md5(i::text)::uuid, at, at + interval '1.2 seconds', 'client-' || ((i / 2) % ${CLIENTS}),
  '57300****' || lpad((i % 1000)::text, 3, '0'), 'accepted', 1, 2000, 'Message accepted', 'normal',
  'order-' || (i / 2), 'GSM-7', 1,
  jsonb_build_array(jsonb_build_object('attempt', 1, 'code', 2000, 'outcome', 'success',
    'message', 'Message accepted', 'at', (extract(epoch FROM at) * 1000)::bigint + 1150))
FROM generate_series($1::bigint, $2::bigint - 1) AS i,
  LATERAL (SELECT to_timestamp(${START / 1000} + i * ($4::float8 * 86400 / $3::bigint)) AS at) AS t`;

const BATCH = 500;

interface LookupTimes {
  readonly rows: number;
  readonly fillSeconds: number;
  readonly bytesPerRow: number;
  /** Bytes of the rows (with TOAST), of the primary key and of the reference index. */
  readonly bytes: { readonly rows: number; readonly primaryKey: number; readonly reference: number };
  /** ms of an `ArchiveWriter.write` of `BATCH` new messages of the last day. */
  readonly write: { readonly p50: number; readonly p99: number };
  /** ms */
  readonly byId: { readonly p50: number; readonly p99: number };
  readonly byReference: { readonly p50: number; readonly p99: number };
}

/**
 * What a look-up in the archive costs as it grows to a week of traffic: `ArchiveReader.read`
 * (by id, which every day's partition is probed for) and `byReference` (client + reference,
 * newest first) on a table of `large` rows, against the same look-ups on `small` rows over the
 * same number of day partitions. Both are B-tree probes, so the large table's should cost about
 * as much as the small one's. Also the archiver's write of a batch into each, and the table's
 * size per row, indexes included.
 */
export const archiveLookups: Scenario = {
  name: 'archive-lookups',
  title: 'Archive look-ups by id and by reference, small table against large',
  run: async ({ sizes, log }) => {
    const { small, large, days, lookups } = sizes.archiveLookups;
    const measured: LookupTimes[] = [];
    for (const rows of [small, large]) measured.push(await measureLookups(rows, days, lookups, log));
    const [atSmall, atLarge] = measured as [LookupTimes, LookupTimes];
    const versus = (value: number) => ({ name: `${small.toLocaleString('en')} rows`, value });
    const label = `at ${large.toLocaleString('en')} rows`;
    const figures: Figure[] = [
      ...(['p50', 'p99'] as const).flatMap((p): Figure[] => [
        {
          figure: `read by id ${p} ${label}`,
          value: atLarge.byId[p],
          unit: 'ms',
          baseline: versus(atSmall.byId[p]),
          target: { on: 'ratio', op: '<=', limit: 2 },
        },
        {
          figure: `byReference ${p} ${label}`,
          value: atLarge.byReference[p],
          unit: 'ms',
          baseline: versus(atSmall.byReference[p]),
          target: { on: 'ratio', op: '<=', limit: 2 },
        },
      ]),
      {
        figure: `write of ${BATCH} new rows p50 ${label}`,
        value: atLarge.write.p50,
        unit: 'ms',
        baseline: versus(atSmall.write.p50),
        target: { on: 'ratio', op: '<=', limit: 2 },
      },
      {
        figure: `bytes per row ${label}`,
        value: atLarge.bytesPerRow,
        unit: 'B',
        baseline: versus(atSmall.bytesPerRow),
      },
      { figure: `fill of ${large.toLocaleString('en')} rows`, value: atLarge.fillSeconds, unit: 's' },
    ];
    return { figures, details: { days, lookups, measured } };
  },
};

async function measureLookups(
  rows: number,
  days: number,
  lookups: number,
  log: (message: string) => void,
): Promise<LookupTimes> {
  const postgres = await startPostgres({ settings: SETTINGS });
  const bulk = createArchivePool(postgres.url, { max: 2, statementTimeoutMs: 3_600_000 });
  const pool = createArchivePool(postgres.url);
  try {
    log(`${rows.toLocaleString('en')} rows over ${days} days: filling`);
    const started = performance.now();
    await ensurePartitions(bulk, START, days);
    // One statement per day, two at a time: both cores busy.
    const perDay = Math.ceil(rows / days);
    await mapConcurrently(
      Array.from({ length: days }, (_, day) => day),
      2,
      (day) =>
        bulk
          .query(FILL, [day * perDay, Math.min(rows, (day + 1) * perDay), rows, days])
          .then(() => undefined),
    );
    await bulk.query('VACUUM ANALYZE sms_messages');
    const fillSeconds = (performance.now() - started) / 1000;
    const bytes = await tableBytes(bulk);
    const totalBytes = bytes.rows + bytes.primaryKey + bytes.reference;
    log(`filled in ${fillSeconds.toFixed(0)} s, ${(totalBytes / 2 ** 20).toFixed(0)} MiB; looking up`);

    const reader = new ArchiveReader(pool);
    const pick = () => Math.floor(Math.random() * rows);
    const timed = async (lookup: (i: number) => Promise<number>, expected: number) => {
      const ms: number[] = [];
      // The first tenth warms the caches and the pool, and is not counted.
      for (let n = 0; n < lookups * 1.1; n++) {
        const i = pick();
        const t = performance.now();
        const found = await lookup(i);
        if (n >= lookups * 0.1) ms.push(performance.now() - t);
        if (found !== expected) throw new Error(`look-up of row ${i} found ${found}, not ${expected}`);
      }
      const { p50, p99 } = percentiles(ms);
      return { p50, p99 };
    };
    const byId = await timed(async (i) => ((await reader.read(idOf(i))) === undefined ? 0 : 1), 1);
    const byReference = await timed(
      async (i) => (await reader.byReference(clientOf(i), referenceOf(i), 100)).length,
      2,
    );
    const write = await timeWrites(new ArchiveWriter(pool), START + (days - 1) * 86_400_000, lookups / 100);
    return { rows, fillSeconds, bytesPerRow: totalBytes / rows, bytes, write, byId, byReference };
  } finally {
    await Promise.all([bulk.end(), pool.end()]);
    await postgres.stop();
  }
}

/** Every partition's rows (with TOAST), primary key and reference index, each summed. */
async function tableBytes(
  pool: ReturnType<typeof createArchivePool>,
): Promise<{ rows: number; primaryKey: number; reference: number }> {
  const { rows } = await pool.query<{ heap: string; primary_key: string; reference: string }>(
    `SELECT sum(pg_table_size(p.inhrelid))::bigint AS heap,
       (SELECT sum(pg_relation_size(x.indexrelid)) FROM pg_index x JOIN pg_inherits q ON x.indrelid = q.inhrelid
         WHERE q.inhparent = 'sms_messages'::regclass AND x.indisprimary)::bigint AS primary_key,
       (SELECT sum(pg_relation_size(x.indexrelid)) FROM pg_index x JOIN pg_inherits q ON x.indrelid = q.inhrelid
         WHERE q.inhparent = 'sms_messages'::regclass AND NOT x.indisprimary)::bigint AS reference
     FROM pg_inherits p WHERE p.inhparent = 'sms_messages'::regclass`,
  );
  const row = rows[0]!;
  return { rows: Number(row.heap), primaryKey: Number(row.primary_key), reference: Number(row.reference) };
}

/** `batches` writes of `BATCH` new messages accepted on the day starting at `day`, one at a time. */
async function timeWrites(
  writer: ArchiveWriter,
  day: number,
  batches: number,
): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let b = 0; b < batches; b++) {
    const messages = Array.from({ length: BATCH }, (_, i): ArchivedMessage => {
      const createdAt = day + Math.floor(Math.random() * 86_400_000);
      return {
        id: randomUUID(),
        status: 'accepted',
        client: `client-${i % CLIENTS}`,
        to: '57300****123',
        attempts: 1,
        lastCode: 2000,
        lastMessage: 'Message accepted',
        createdAt,
        updatedAt: createdAt + 1_200,
        priority: 'normal',
        reference: `new-${b}-${i}`,
        encoding: 'GSM-7',
        segments: 1,
        history: [
          { attempt: 1, code: 2000, outcome: 'success', message: 'Message accepted', at: createdAt + 1_150 },
        ],
      };
    });
    const started = performance.now();
    const written = await writer.write(messages);
    ms.push(performance.now() - started);
    if (written !== BATCH) throw new Error(`a batch of ${BATCH} wrote ${written} rows`);
  }
  const { p50, p99 } = percentiles(ms);
  return { p50, p99 };
}
