import { migrateDatabase } from '@sms/archive';
import { archiveMigrationConfigSchema, ConfigError, loadConfig } from '@sms/config';

// The archive's schema brought up to date, for the image: `node archiver/dist/migrate-main.js`
// as a one-shot job or init container before the archiver and the API start. The archiver never
// migrates by itself, so that a schema change is a deliberate step. DATABASE_URL_FILE works too.
async function main(): Promise<void> {
  const { DATABASE_URL } = loadConfig(archiveMigrationConfigSchema);
  const ran = await migrateDatabase(DATABASE_URL, { log: (line) => console.log(line) });
  console.log(ran.length === 0 ? 'the schema is up to date' : `migrated: ${ran.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError ? error.message : error instanceof Error ? error.message : error,
  );
  process.exit(1);
});
