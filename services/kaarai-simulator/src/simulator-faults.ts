import type { SimulatorFaultsView } from '@sms/kaarai-simulator-wire';

/**
 * Faults of the send endpoint, as `GET /faults` shows them (the fields are documented there)
 * but with the outage end in epoch milliseconds, which is what each request compares with its
 * clock. Replaced whole by `PUT /faults`, never edited.
 */
export type SimulatorFaults = Omit<SimulatorFaultsView, 'outageUntil'> & {
  /** Epoch milliseconds until which every send request is answered 503/5030; `null` for none. */
  readonly outageUntil: number | null;
};

export const NO_FAULTS: SimulatorFaults = Object.freeze({
  failureRate: 0,
  failNext: 0,
  outageUntil: null,
  latencyMs: 0,
  hangRate: 0,
  hangNext: 0,
  dropRate: 0,
  dropNext: 0,
  loseAnswerRate: 0,
  loseAnswerNext: 0,
});
