import { join } from 'node:path';
import { unlessUnavailable } from './archive-unavailable-error';

/** The migration files, beside `src/` and `dist/` alike. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

export interface MigrateOptions {
  /** @defaultValue 'up' */
  readonly direction?: 'up' | 'down';
  /** How many migrations to run. @defaultValue all of them up, one down */
  readonly count?: number;
  /** Receives node-pg-migrate's lines. @defaultValue none are kept */
  readonly log?: (line: string) => void;
}

/**
 * Brings the archive's schema up to date (or, `direction: 'down'`, back) with the migrations in
 * `packages/archive/migrations`, all in one transaction, and returns the names of those it ran.
 * Two at once do not collide: the second waits for the first's lock, then finds nothing to do.
 * Rejects with `ArchiveUnavailableError` when PostgreSQL is out of reach.
 */
export async function migrateDatabase(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const log = options.log ?? (() => {});
  // Loaded here, not at the top: the services that only read and write the archive need none of
  // the migration tooling (node-pg-migrate, its file globbing and TypeScript loader).
  const { runner } = await import('node-pg-migrate');
  const ran = await unlessUnavailable(() =>
    runner({
      databaseUrl,
      dir: MIGRATIONS_DIR,
      direction: options.direction ?? 'up',
      ...(options.count !== undefined && { count: options.count }),
      migrationsTable: 'pgmigrations',
      checkOrder: true,
      singleTransaction: true,
      advisoryLockMode: 'wait',
      logger: { debug: () => {}, info: log, warn: log, error: log },
    }),
  );
  return ran.map((migration) => migration.name);
}
