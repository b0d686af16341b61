import type { SimulatorSettingsView } from '@sms/kaarai-simulator-wire';

/**
 * How the simulated Kaarai account behaves: the settings `GET /settings` shows (the fields are
 * documented there) and the password it never shows. Replaced whole by `PUT /settings`.
 */
export type SimulatorSettings = SimulatorSettingsView & {
  /** Basic-auth password that is accepted. */
  readonly password: string;
};

export const DEFAULT_SETTINGS: SimulatorSettings = Object.freeze({
  user: 'gateway',
  password: 'secret',
  blockedPrefixes: Object.freeze([]),
  queuedShare: 0,
  bodyStyle: 'json',
});
