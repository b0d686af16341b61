import type { SimulatorFaults } from './simulator-faults';

/**
 * - `outage`, `fail`: answer 503/5030 without looking at the request.
 * - `hang`: never answer.
 * - `drop`: reset the connection without processing the request.
 * - `lose-answer`: process the request (record it if accepted), then reset instead of answering.
 */
export type Fault = 'outage' | 'fail' | 'hang' | 'drop' | 'lose-answer';

/** When several counters are set, the first one here applies and only it goes down. */
const NEXT_COUNTERS = [
  ['dropNext', 'drop'],
  ['hangNext', 'hang'],
  ['failNext', 'fail'],
  ['loseAnswerNext', 'lose-answer'],
] as const;

/** One random draw falls into at most one of these consecutive bands. */
const RATES = [
  ['dropRate', 'drop'],
  ['hangRate', 'hang'],
  ['failureRate', 'fail'],
  ['loseAnswerRate', 'lose-answer'],
] as const;

export interface FaultDecision {
  readonly fault: Fault | undefined;
  /** The faults after this request: the same object unless a counter went down. */
  readonly faults: SimulatorFaults;
}

/** Decides which fault, if any, hits one send request. An outage does not use up any counter. */
export function decideFault(faults: SimulatorFaults, now: number, random: () => number): FaultDecision {
  if (faults.outageUntil !== null && now < faults.outageUntil) return { fault: 'outage', faults };
  for (const [counter, fault] of NEXT_COUNTERS) {
    if (faults[counter] > 0)
      return { fault, faults: Object.freeze({ ...faults, [counter]: faults[counter] - 1 }) };
  }
  if (RATES.every(([rate]) => faults[rate] === 0)) return { fault: undefined, faults };
  const draw = random();
  let edge = 0;
  for (const [rate, fault] of RATES) {
    edge += faults[rate];
    if (draw < edge) return { fault, faults };
  }
  return { fault: undefined, faults };
}
