/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that a summary needs. */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
  }>;
  readonly samples: readonly number[];
  /** Microseconds since the previous sample. */
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  /** Milliseconds spent in the function itself (not in what it called). */
  readonly selfMs: number;
  /** Share of the busy time (idle left out). */
  readonly share: number;
}

export interface ProfileSummary {
  /** Time the process was busy, in ms: every sample but `(idle)`. */
  readonly busyMs: number;
  readonly functions: readonly SelfTime[];
  /** Self time by where the code comes from: a package, Node's internals, the gateway, GC. */
  readonly areas: readonly SelfTime[];
}

/** The functions and the areas (packages) with the most self time, busiest first. */
export function summarizeCpuProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let busyUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (us === 0 || functionName === '(idle)') continue;
    busyUs += us;
    const where = url === '' ? '' : ` ${shortUrl(url)}:${lineNumber + 1}`;
    const name = `${functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const area = areaOf(functionName, url);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const ranked = (totals: Map<string, number>) =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: busyUs === 0 ? 0 : us / busyUs }));
  return { busyMs: busyUs / 1000, functions: ranked(byFunction), areas: ranked(byArea) };
}

/** `node_modules/.pnpm/bullmq@5.81.5/node_modules/bullmq/dist/...` → `bullmq/dist/...`. */
function shortUrl(url: string): string {
  const inPackage = /.*node_modules\/((?:@[^/]+\/)?[^/]+\/.*)$/.exec(url);
  if (inPackage) return inPackage[1]!;
  const inRepo = /\/((?:services|packages|bench)\/.*)$/.exec(url);
  if (inRepo) return inRepo[1]!;
  return url.replace(/^file:\/\//, '');
}

function areaOf(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 and native code (program)';
  if (url.startsWith('node:') || (url !== '' && !url.includes('/'))) return 'Node.js internals';
  const inPackage = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (inPackage) return inPackage[1]!;
  const inRepo = /\/((?:services|packages)\/[^/]+)\//.exec(url);
  if (inRepo) return `gateway ${inRepo[1]}`;
  return url === '' ? `native (${functionName})` : 'other';
}
