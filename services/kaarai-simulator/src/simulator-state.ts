import type { SimulatorBodyStyle } from '@sms/config';
import { AnswerStats } from './answer-stats';
import { parseFaultUpdate } from './fault-update';
import { MessageRecord } from './message-record';
import { parseSettingsUpdate } from './settings-update';

/** How the simulated Kaarai account behaves; changed at run time with `PUT /settings`. */
export interface SimulatorSettings {
  /** Basic-auth user that is accepted. @defaultValue 'gateway' */
  readonly user: string;
  /** Basic-auth password that is accepted. @defaultValue 'secret' */
  readonly password: string;
  /** Numbers starting with one of these are answered 4031. @defaultValue [] */
  readonly blockedPrefixes: readonly string[];
  /** Share (0..1) of accepted messages answered 2021 instead of 2020. @defaultValue 0 */
  readonly queuedShare: number;
  /** Shape of every answer body on the Kaarai ports. @defaultValue 'json' */
  readonly bodyStyle: SimulatorBodyStyle;
}

/**
 * Faults of the send endpoint; changed at run time with `PUT /faults`. A `...Next` counter goes
 * down by one for each send request it hits; the rates share one random draw per request, so
 * they add up to at most 1.
 */
export interface SimulatorFaults {
  /** Share (0..1) of send requests answered 503/5030. @defaultValue 0 */
  readonly failureRate: number;
  /** The next N send requests are answered 503/5030. @defaultValue 0 */
  readonly failNext: number;
  /** Epoch milliseconds until which every send request is answered 503/5030; `null` for none. */
  readonly outageUntil: number | null;
  /** Milliseconds added before every answer (and reset) on the send path. @defaultValue 0 */
  readonly latencyMs: number;
  /** Share (0..1) of send requests read and never answered. @defaultValue 0 */
  readonly hangRate: number;
  /** The next N send requests are read and never answered. @defaultValue 0 */
  readonly hangNext: number;
  /** Share (0..1) of send requests whose connection is reset before they are processed. @defaultValue 0 */
  readonly dropRate: number;
  /** The next N send requests have their connection reset before they are processed. @defaultValue 0 */
  readonly dropNext: number;
  /** Share (0..1) of send requests processed (and recorded) whose answer is replaced by a reset. @defaultValue 0 */
  readonly loseAnswerRate: number;
  /** The next N send requests are processed (and recorded) and their answer replaced by a reset. @defaultValue 0 */
  readonly loseAnswerNext: number;
}

export const DEFAULT_SETTINGS: SimulatorSettings = Object.freeze({
  user: 'gateway',
  password: 'secret',
  blockedPrefixes: Object.freeze([]),
  queuedShare: 0,
  bodyStyle: 'json',
});

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

export const DEFAULT_SEND_PATH = '/api/v1/sms/send';

/** Everything the request handlers read and change. Settings and faults are replaced whole, never edited. */
export interface SimulatorState {
  readonly sendPath: string;
  settings: SimulatorSettings;
  faults: SimulatorFaults;
  readonly record: MessageRecord;
  readonly stats: AnswerStats;
}

export interface SimulatorStateOptions {
  /** Path of the send endpoint. @defaultValue '/api/v1/sms/send' */
  readonly sendPath?: string;
  /** Starting settings, over {@link DEFAULT_SETTINGS}; checked like a `PUT /settings` body. */
  readonly settings?: Partial<SimulatorSettings>;
  /**
   * Starting faults, over {@link NO_FAULTS}; checked like a `PUT /faults` body, so `outageMs`
   * may be given instead of `outageUntil`.
   */
  readonly faults?: Partial<SimulatorFaults> & { readonly outageMs?: number };
  /** Accepted messages kept for the admin API. @defaultValue 1000000 */
  readonly recordLimit?: number;
}

/** Builds the state, throwing a `RangeError` that lists every problem if the options are invalid. */
export function createSimulatorState(options: SimulatorStateOptions = {}, now = new Date()): SimulatorState {
  const settings = parseSettingsUpdate(options.settings ?? {}, DEFAULT_SETTINGS);
  const faults = parseFaultUpdate(options.faults ?? {}, NO_FAULTS, now.getTime());
  const problems = [
    ...(settings.ok ? [] : settings.problems.map((p) => `settings.${p}`)),
    ...(faults.ok ? [] : faults.problems.map((p) => `faults.${p}`)),
  ];
  if (!settings.ok || !faults.ok) throw new RangeError(`invalid simulator options: ${problems.join('; ')}`);
  const sendPath = options.sendPath ?? DEFAULT_SEND_PATH;
  if (!sendPath.startsWith('/'))
    throw new RangeError('invalid simulator options: sendPath must start with /');
  return {
    sendPath,
    settings: settings.value,
    faults: faults.value,
    record: new MessageRecord(options.recordLimit ?? 1_000_000),
    stats: new AnswerStats(now),
  };
}
