import { ArchiveReader, ArchiveWriter, createArchivePool } from '@sms/archive';
import { startPostgres, type TestPostgres } from '@sms/testing';
import type { Pool } from 'pg';
import { DAY, sampleMessage } from './sample-message';

let postgres: TestPostgres;
let pool: Pool;
let writer: ArchiveWriter;
let reader: ArchiveReader;

beforeAll(async () => {
  postgres = await startPostgres();
  pool = createArchivePool(postgres.url);
  writer = new ArchiveWriter(pool);
  reader = new ArchiveReader(pool);
});

afterAll(async () => {
  await pool?.end();
  await postgres?.stop();
});

describe('ArchiveWriter and ArchiveReader', () => {
  it('reads back exactly what was written, for every shape a record takes', async () => {
    const shapes = [
      // Only the fields every record has.
      sampleMessage(),
      // Every optional field, odd characters, a code and a history of several attempts.
      sampleMessage({
        status: 'dead_lettered',
        attempts: 3,
        lastCode: 4031,
        lastMessage: 'número bloqueado "quoted" \\ back\nslash',
        priority: 'high',
        reference: 'order-42 ✓',
        sendAt: DAY + 60_000,
        encoding: 'UCS-2',
        segments: 2,
        updatedAt: DAY + 90_001,
        history: [
          { attempt: 1, outcome: 'retry', message: 'no answer', at: DAY + 60_010 },
          { attempt: 2, code: 5000, outcome: 'retry', message: 'busy', at: DAY + 70_020 },
          { attempt: 3, code: 4031, outcome: 'rejected', message: 'número bloqueado', at: DAY + 90_000 },
        ],
      }),
      // An at-most-once message whose outcome nobody knows.
      sampleMessage({
        status: 'unknown',
        delivery: 'at-most-once',
        lastMessage: 'timeout of 500ms exceeded',
        history: [
          { attempt: 1, outcome: 'unknown:timeout', message: 'timeout of 500ms exceeded', at: DAY + 600 },
        ],
      }),
      // Canceled before any attempt: no history, zero values that must stay zero.
      sampleMessage({ status: 'canceled', attempts: 0, lastCode: 0, segments: 1, history: [] }),
      // Odd milliseconds, up to the day's last one (23:59:59.999), which a rounding would move.
      sampleMessage({ createdAt: DAY + 999, updatedAt: DAY + 43_199_999, sendAt: DAY + 1_001, history: [] }),
    ];
    await expect(writer.write(shapes)).resolves.toBe(shapes.length);
    for (const message of shapes) {
      const read = await reader.read(message.id);
      expect(read).toStrictEqual(message);
      // As JSON too: the dead-letter views show the history as it was written.
      expect(JSON.stringify(read?.history)).toBe(JSON.stringify(message.history));
    }
  });

  it('answers undefined for an id never written, and for one that is not a UUID', async () => {
    await expect(reader.read('6f1c2b9e-8c1d-4d8e-9b7a-3f2e1d0c9b8a')).resolves.toBeUndefined();
    await expect(reader.read("x'; DROP TABLE sms_messages; --")).resolves.toBeUndefined();
  });

  it('changes nothing when the same batch is written again', async () => {
    const batch = [sampleMessage(), sampleMessage({ reference: 'again' })];
    await expect(writer.write(batch)).resolves.toBe(2);
    await expect(writer.write(batch)).resolves.toBe(0);
    expect(await reader.read(batch[1]!.id)).toStrictEqual(batch[1]);
  });

  it('replaces a row with a later updatedAt only', async () => {
    const first = sampleMessage({ status: 'dead_lettered', updatedAt: DAY + 5_000 });
    await writer.write([first]);
    const later = { ...first, status: 'accepted' as const, attempts: 2, updatedAt: DAY + 9_000 };
    await expect(writer.write([later])).resolves.toBe(1);
    expect(await reader.read(first.id)).toStrictEqual(later);

    const earlier = { ...first, status: 'failed' as const, updatedAt: DAY + 7_000 };
    await expect(writer.write([earlier])).resolves.toBe(0);
    expect(await reader.read(first.id)).toStrictEqual(later);
  });

  it('keeps the latest of a message that comes twice in one batch', async () => {
    const first = sampleMessage({ status: 'dead_lettered', updatedAt: DAY + 5_000 });
    const again = { ...first, status: 'accepted' as const, updatedAt: DAY + 8_000 };
    await expect(writer.write([again, first])).resolves.toBe(1);
    expect(await reader.read(first.id)).toStrictEqual(again);
  });

  it('finds a reference for its client only, the most recently created first, at most the limit', async () => {
    const mine = [3, 1, 4, 2].map((minutes) =>
      sampleMessage({ reference: 'invoice-7', createdAt: DAY + minutes * 60_000 }),
    );
    const theirs = sampleMessage({ client: 'marketing', reference: 'invoice-7', createdAt: DAY + 300_000 });
    const other = sampleMessage({ reference: 'invoice-8', createdAt: DAY + 360_000 });
    await writer.write([...mine, theirs, other]);

    const newestFirst = [...mine].sort((a, b) => b.createdAt - a.createdAt);
    await expect(reader.byReference('billing', 'invoice-7', 10)).resolves.toStrictEqual(newestFirst);
    await expect(reader.byReference('billing', 'invoice-7', 2)).resolves.toStrictEqual(
      newestFirst.slice(0, 2),
    );
    await expect(reader.byReference('marketing', 'invoice-7', 10)).resolves.toStrictEqual([theirs]);
    await expect(reader.byReference('billing', 'invoice-9', 10)).resolves.toStrictEqual([]);
  });

  it('finds a reference across day partitions', async () => {
    const days = [0, 1, 2].map((day) =>
      sampleMessage({ reference: 'spans-days', createdAt: DAY + day * 86_400_000 }),
    );
    await writer.write(days);
    const found = await reader.byReference('billing', 'spans-days', 10);
    expect(found.map((message) => message.id)).toStrictEqual(days.map((message) => message.id).reverse());
  });
});
