import { migrateDatabase } from './migrate-database';

// `pnpm db:migrate [up|down] [count]`: the archive's schema, for an operator or a deployment job.
// The archiver itself never migrates, so that a schema change is a deliberate step.
async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error('DATABASE_URL is not set: it names the PostgreSQL database to migrate');
    process.exit(2);
  }
  const [direction = 'up', count] = process.argv.slice(2);
  if ((direction !== 'up' && direction !== 'down') || (count !== undefined && !/^\d+$/.test(count))) {
    console.error('usage: db:migrate [up|down] [count]');
    process.exit(2);
  }
  const ran = await migrateDatabase(databaseUrl, {
    direction,
    ...(count !== undefined && { count: Number(count) }),
    log: (line) => console.log(line),
  });
  console.log(ran.length === 0 ? 'the schema is up to date' : `ran ${direction}: ${ran.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
