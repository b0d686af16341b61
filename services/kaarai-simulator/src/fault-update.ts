import { count, type FieldTable, millis, type Parsed, parseFields, share } from './parse-fields';
import type { SimulatorFaults } from './simulator-state';

/** The body of `PUT /faults`: any subset of the faults, with the outage given either way. */
export interface FaultUpdate extends Omit<SimulatorFaults, 'outageUntil'> {
  /** Start an outage lasting this many milliseconds from now; 0 ends any outage. */
  readonly outageMs: number;
  /** End of the outage as an ISO 8601 time, or `null` to end any outage. */
  readonly outageUntil: string | null;
}

const MAX_DELAY_MS = 600_000;
const MAX_OUTAGE_MS = 7 * 24 * 3_600_000;

const FAULT_FIELDS: FieldTable<FaultUpdate> = {
  failureRate: share,
  failNext: count,
  outageMs: millis(MAX_OUTAGE_MS),
  outageUntil: (value) =>
    value === null || (typeof value === 'string' && !Number.isNaN(Date.parse(value)))
      ? { value }
      : { problem: 'must be an ISO 8601 time or null' },
  latencyMs: millis(MAX_DELAY_MS),
  hangRate: share,
  hangNext: count,
  dropRate: share,
  dropNext: count,
  loseAnswerRate: share,
  loseAnswerNext: count,
};

const RATES = ['dropRate', 'hangRate', 'failureRate', 'loseAnswerRate'] as const;

/**
 * Applies a `PUT /faults` body to the current faults and returns the new faults, or every
 * problem with the body. Nothing is applied unless the whole body is valid.
 */
export function parseFaultUpdate(
  body: unknown,
  current: SimulatorFaults,
  now: number,
): Parsed<SimulatorFaults> {
  const parsed = parseFields(body, FAULT_FIELDS);
  if (!parsed.ok) return parsed;
  const { outageMs, outageUntil, ...rest } = parsed.value;
  if (outageMs !== undefined && outageUntil !== undefined) {
    return { ok: false, problems: ['outageMs: give either outageMs or outageUntil, not both'] };
  }
  let outageEnd = current.outageUntil;
  if (outageMs !== undefined) outageEnd = outageMs === 0 ? null : now + outageMs;
  if (outageUntil !== undefined) outageEnd = outageUntil === null ? null : Date.parse(outageUntil);

  const faults: SimulatorFaults = Object.freeze({ ...current, ...rest, outageUntil: outageEnd });
  const rateSum = RATES.reduce((sum, rate) => sum + faults[rate], 0);
  if (rateSum > 1) {
    return { ok: false, problems: [`${RATES.join(' + ')}: must add up to at most 1 (is ${rateSum})`] };
  }
  return { ok: true, value: faults };
}
