import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The results folder is git-ignored; this keeps `pnpm lint` (Biome) out of it as well.
const BIOME_CONFIG = `${JSON.stringify({ root: false, files: { includes: ['!**'] } })}\n`;

/** Writes `results` as `<outDir>/bench-<mode>-<time>.json` and returns the file's path. */
export function writeResults(outDir: string, mode: string, startedAt: Date, results: unknown): string {
  mkdirSync(outDir, { recursive: true });
  const biomeConfig = join(outDir, 'biome.json');
  if (!existsSync(biomeConfig)) writeFileSync(biomeConfig, BIOME_CONFIG);
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = join(outDir, `bench-${mode}-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
