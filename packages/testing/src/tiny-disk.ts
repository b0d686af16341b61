import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small file system of its own, to fill up in a test: a full disk on demand. */
export interface TinyDisk {
  readonly dir: string;
  /** Unmounts it and removes the mount point. */
  remove(): void;
}

/**
 * Mounts a tmpfs of `sizeKb` kilobytes on a new temporary folder. Needs root (or CAP_SYS_ADMIN);
 * where mounting is not permitted it returns why, so that a test can skip with a clear message.
 */
export function mountTinyDisk(sizeKb: number): TinyDisk | { readonly unavailable: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sms-tiny-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return {
      unavailable: `cannot mount a tmpfs here: ${(mounted.stderr || mounted.error?.message || '').trim()}`,
    };
  }
  return {
    dir,
    remove: () => {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
