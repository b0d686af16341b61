import { simulatorFaultUpdateSchema } from '@sms/kaarai-simulator-wire';
import { type Parsed, parseAdminBody } from './parse-admin-body';
import type { SimulatorFaults } from './simulator-faults';

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
  const parsed = parseAdminBody(body, simulatorFaultUpdateSchema);
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
