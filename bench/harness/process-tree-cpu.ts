import { readdirSync, readFileSync } from 'node:fs';
import { processCpuMicros } from './process-cpu';

/**
 * CPU used by a process and its children between two readings, in microseconds: for PostgreSQL,
 * whose postmaster forks a backend per connection (and a connection opened during the window
 * counts from its start). A child that exits within the window takes its time with it: measure
 * windows in which the connections stay open.
 */
export class ProcessTreeCpuMeter {
  readonly #start: ReadonlyMap<number, number>;

  private constructor(private readonly root: number) {
    this.#start = treeCpu(root);
  }

  static start(root: number): ProcessTreeCpuMeter {
    return new ProcessTreeCpuMeter(root);
  }

  /** Microseconds used since `start` by the root and every child alive now. */
  read(): number {
    let used = 0;
    for (const [pid, micros] of treeCpu(this.root)) used += micros - (this.#start.get(pid) ?? 0);
    return used;
  }
}

/** The parent pid of `pid` (field 4 of /proc/<pid>/stat). */
export function parentPid(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[4 - 3]);
}

function treeCpu(root: number): Map<number, number> {
  const pids = [root];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (parentPid(Number(entry)) === root) pids.push(Number(entry));
    } catch {
      // Exited while the folder was read.
    }
  }
  const cpu = new Map<number, number>();
  for (const pid of pids) {
    try {
      cpu.set(pid, processCpuMicros(pid));
    } catch {
      // Exited meanwhile.
    }
  }
  return cpu;
}
