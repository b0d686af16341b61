import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Debian keeps each major version's programs in a folder of its own, off PATH.
const DEBIAN_ROOT = '/usr/lib/postgresql';

/** Where PostgreSQL is missing here: what the tests need, and how to get it. */
export class PostgresMissingError extends Error {
  readonly code = 'POSTGRES_MISSING';

  constructor() {
    super(
      `PostgreSQL's programs (initdb, pg_ctl, postgres) were not found in ${DEBIAN_ROOT}/<version>/bin, in ` +
        "`pg_config --bindir` nor on PATH: install Debian's `postgresql` package (apt-get install postgresql)",
    );
    this.name = this.constructor.name;
  }
}

/**
 * The folder holding `initdb`, `pg_ctl` and `postgres`: Debian's highest version first, then
 * `pg_config --bindir`, then wherever `initdb` is on PATH. Throws `PostgresMissingError` when
 * none has them.
 */
export function postgresBinDir(): string {
  const found = [...debianBinDirs(), ...fromCommand('pg_config', ['--bindir']), ...initdbOnPath()].find(
    (dir) => ['initdb', 'pg_ctl', 'postgres'].every((name) => existsSync(join(dir, name))),
  );
  if (found === undefined) throw new PostgresMissingError();
  return found;
}

function debianBinDirs(): string[] {
  if (!existsSync(DEBIAN_ROOT)) return [];
  return readdirSync(DEBIAN_ROOT)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(DEBIAN_ROOT, version, 'bin'));
}

function initdbOnPath(): string[] {
  // The folder of the program itself: a link on PATH may point into Debian's folder.
  return fromCommand('sh', ['-c', 'readlink -f "$(command -v initdb)"']).map((path) =>
    path.slice(0, path.lastIndexOf('/')),
  );
}

function fromCommand(command: string, args: readonly string[]): string[] {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  const line = run.status === 0 ? run.stdout.trim() : '';
  return line === '' ? [] : [line];
}
