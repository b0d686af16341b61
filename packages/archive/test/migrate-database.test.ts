import { migrateDatabase } from '@sms/archive';
import { startPostgres, type TestPostgres } from '@sms/testing';
import { Client } from 'pg';

// The migrations CI checks: each one goes up, down and up again on an empty database.
let postgres: TestPostgres;

beforeAll(async () => {
  postgres = await startPostgres({ migrate: false });
});

afterAll(async () => {
  await postgres?.stop();
});

async function tables(): Promise<string[]> {
  const client = new Client(postgres.url);
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

describe('migrateDatabase', () => {
  it('runs every migration up, down and up again on a fresh database', async () => {
    const up = await migrateDatabase(postgres.url);
    expect(up.length).toBeGreaterThan(0);
    expect(await tables()).toContain('sms_messages');
    await expect(migrateDatabase(postgres.url)).resolves.toStrictEqual([]);

    const lines: string[] = [];
    const down = await migrateDatabase(postgres.url, {
      direction: 'down',
      count: up.length,
      log: (line) => lines.push(line),
    });
    expect(down).toStrictEqual([...up].reverse());
    expect(lines.join('\n')).toContain(up[0]);
    expect(await tables()).not.toContain('sms_messages');

    await expect(migrateDatabase(postgres.url)).resolves.toStrictEqual(up);
    expect(await tables()).toContain('sms_messages');
  });
});
