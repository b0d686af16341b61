import type { SimulatorFaultUpdate, SimulatorSettingsUpdate } from '@sms/kaarai-simulator-wire';
import { AnswerStats } from './answer-stats';
import { parseFaultUpdate } from './fault-update';
import { MessageRecord } from './message-record';
import { parseSettingsUpdate } from './settings-update';
import { NO_FAULTS, type SimulatorFaults } from './simulator-faults';
import { DEFAULT_SETTINGS, type SimulatorSettings } from './simulator-settings';

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
  readonly settings?: SimulatorSettingsUpdate;
  /** Starting faults, over {@link NO_FAULTS}; checked like a `PUT /faults` body. */
  readonly faults?: SimulatorFaultUpdate;
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
