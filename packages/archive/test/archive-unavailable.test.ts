import { ArchiveReader, ArchiveUnavailableError, ArchiveWriter, createArchivePool } from '@sms/archive';
import { startPostgres, type TestPostgres, waitFor } from '@sms/testing';
import type { Pool } from 'pg';
import { sampleMessage } from './sample-message';

// Fault: PostgreSQL shuts down under an open pool, then comes back on the same port; or it stops
// answering (SIGSTOP) while connections stay open.
// Invariant: every call rejects with ArchiveUnavailableError, within a bounded time, while it is
// down or stuck; the same pool works again once it is back.
// The pool's timeouts are 2 s to connect and 3 s for an answer: one of them, and a margin for a
// loaded machine, but not two in a row (a ROLLBACK sent after a query that timed out).
const BOUND_MS = 5_000;

let postgres: TestPostgres;
let pool: Pool;

beforeAll(async () => {
  postgres = await startPostgres();
  pool = createArchivePool(postgres.url, { statementTimeoutMs: 2_000, connectTimeoutMs: 2_000 });
});

afterAll(async () => {
  await pool?.end();
  await postgres?.stop();
});

async function rejectsUnavailable(call: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  const error = await call().then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ArchiveUnavailableError);
  expect((error as ArchiveUnavailableError).code).toBe('ARCHIVE_UNAVAILABLE');
  expect(performance.now() - started).toBeLessThan(BOUND_MS);
}

describe('a PostgreSQL that goes down', () => {
  it('makes reads and writes reject with ArchiveUnavailableError, and the same pool recovers', async () => {
    const writer = new ArchiveWriter(pool);
    const reader = new ArchiveReader(pool);
    const before = sampleMessage({ reference: 'outage' });
    await writer.write([before]);
    // Connections held idle in the pool, as a running service has them.
    await Promise.all([reader.read(before.id), reader.read(before.id), reader.read(before.id)]);

    await postgres.stopServer();
    await rejectsUnavailable(() => reader.read(before.id));
    await rejectsUnavailable(() => reader.byReference('billing', 'outage', 10));
    await rejectsUnavailable(() => writer.write([sampleMessage()]));

    await postgres.startServer();
    const after = sampleMessage({ reference: 'outage', createdAt: before.createdAt + 1 });
    await waitFor(() => writer.write([after]).then((written) => written === 1), {
      timeoutMs: 15_000,
      description: 'a write after PostgreSQL came back',
    });
    await expect(reader.read(before.id)).resolves.toStrictEqual(before);
    await expect(reader.byReference('billing', 'outage', 10)).resolves.toStrictEqual([after, before]);
  });
});

describe('a PostgreSQL that stops answering', () => {
  it('makes reads and writes reject with ArchiveUnavailableError after the timeouts, and the pool recovers', async () => {
    const writer = new ArchiveWriter(pool);
    const reader = new ArchiveReader(pool);
    const before = sampleMessage();
    await writer.write([before]);
    // Connections held idle in the pool, so that the write below starts on one.
    await Promise.all([reader.read(before.id), reader.read(before.id), reader.read(before.id)]);

    postgres.freeze();
    try {
      // An idle connection's query waits for the client-side timeout; a new connection, for the
      // connect timeout.
      await Promise.all([
        rejectsUnavailable(() => reader.read(before.id)),
        rejectsUnavailable(() => writer.write([sampleMessage()])),
        rejectsUnavailable(() => reader.byReference('billing', 'frozen', 10)),
      ]);
    } finally {
      postgres.thaw();
    }
    await waitFor(async () => (await reader.read(before.id))?.id === before.id, {
      timeoutMs: 15_000,
      description: 'a read after PostgreSQL answered again',
    });
  });
});
