import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// utime and stime in /proc/<pid>/stat are in clock ticks (USER_HZ, almost always 100).
const TICKS_PER_SECOND = readTicksPerSecond();

/**
 * CPU time a process has used so far, user plus system, in microseconds, read from
 * /proc/<pid>/stat: the whole process (every thread: the event loop, GC, libuv's pool), measured
 * from outside so the figure does not depend on the process's own cooperation. The resolution is
 * one clock tick (10 ms at USER_HZ 100): measure windows of seconds, not of single requests.
 */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 (utime) and 15 (stime) of proc(5); after the name the list starts at field 3.
  const ticks = Number(fields[14 - 3]) + Number(fields[15 - 3]);
  return (ticks / TICKS_PER_SECOND) * 1_000_000;
}

/** CPU used by several processes between two readings, per process, in microseconds. */
export class CpuMeter {
  readonly #start: ReadonlyMap<string, number>;

  private constructor(private readonly pids: ReadonlyMap<string, number>) {
    this.#start = new Map([...pids].map(([name, pid]) => [name, processCpuMicros(pid)]));
  }

  /** Starts measuring the processes, named for the report (`api`, `redis`...); skips unknown pids. */
  static start(pids: Readonly<Record<string, number | undefined>>): CpuMeter {
    const known = Object.entries(pids).filter((entry): entry is [string, number] => (entry[1] ?? -1) > 0);
    return new CpuMeter(new Map(known));
  }

  /** Microseconds each process used since `start`. */
  read(): Record<string, number> {
    const used: Record<string, number> = {};
    for (const [name, pid] of this.pids) used[name] = processCpuMicros(pid) - (this.#start.get(name) ?? 0);
    return used;
  }
}

function readTicksPerSecond(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}
