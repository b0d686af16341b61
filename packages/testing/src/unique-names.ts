import { randomUUID } from 'node:crypto';

/** A `QUEUE_PREFIX` of its own for one test's processes, so that tests can share a Redis. */
export function newPrefix(): string {
  return `f${randomUUID().slice(0, 8)}`;
}

/**
 * `count` message texts unique to this run (`<label> <run> #<i>`), by which the simulator's
 * record is then counted (`SimulatorAdmin.tally`).
 */
export function uniqueTexts(label: string, count: number): string[] {
  const run = randomUUID().slice(0, 8);
  return Array.from({ length: count }, (_, i) => `${label} ${run} #${i}`);
}
