import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatNumber } from '../report/format-table';
import { type CpuProfile, type ProfileSummary, summarizeCpuProfile } from './summarize-cpu-profile';

export interface ProfilesReport {
  /** By folder (`accept/api`, `delivery/worker`): the summary of its main thread's profile. */
  readonly summaries: Record<string, ProfileSummary & { readonly file: string }>;
  readonly text: string;
}

/**
 * Summarises every folder of `.cpuprofile` files under `root`. A service run through tsx writes
 * two profiles, its main thread's and the module loader's thread's; the busiest is the one that
 * served the load.
 */
export function summarizeProfiles(root: string): ProfilesReport {
  const summaries: ProfilesReport['summaries'] = {};
  for (const folder of foldersWithProfiles(root)) {
    const candidates = readdirSync(folder)
      .filter((name) => name.endsWith('.cpuprofile'))
      .map((name) => {
        const file = join(folder, name);
        return { file, summary: summarizeCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile) };
      })
      .sort((a, b) => b.summary.busyMs - a.summary.busyMs);
    const busiest = candidates[0];
    if (busiest) summaries[relative(root, folder)] = { ...busiest.summary, file: busiest.file };
  }
  const text = Object.entries(summaries)
    .map(([name, summary]) => formatSummary(name, summary))
    .join('\n\n');
  return { summaries, text: text || `no CPU profiles under ${root}` };
}

function formatSummary(name: string, summary: ProfileSummary & { file: string }): string {
  const line = (entry: { name: string; selfMs: number; share: number }) =>
    `  ${(entry.share * 100).toFixed(1).padStart(5)} %  ${formatNumber(entry.selfMs).padStart(8)} ms  ${entry.name}`;
  return [
    `CPU profile ${name} (${formatNumber(summary.busyMs)} ms busy, start-up included): ${summary.file}`,
    ' top self time by function:',
    ...summary.functions.map(line),
    ' by area:',
    ...summary.areas.map(line),
  ].join('\n');
}

function foldersWithProfiles(root: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    const entries = readdirSync(dir);
    if (entries.some((name) => name.endsWith('.cpuprofile'))) found.push(dir);
    for (const name of entries) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
    }
  };
  try {
    visit(root);
  } catch {
    return found;
  }
  return found.sort();
}
