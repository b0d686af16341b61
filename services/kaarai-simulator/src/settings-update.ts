import { SIMULATOR_BODY_STYLES, type SimulatorBodyStyle } from '@sms/config';
import { type FieldTable, type Parsed, parseFields, share } from './parse-fields';
import type { SimulatorSettings } from './simulator-state';

const SETTINGS_FIELDS: FieldTable<SimulatorSettings> = {
  // Basic auth splits user from password at the first colon, so a user cannot contain one.
  user: (value) =>
    typeof value === 'string' && /^[^:]+$/.test(value)
      ? { value }
      : { problem: 'must be a non-empty string without a colon' },
  password: (value) => (typeof value === 'string' ? { value } : { problem: 'must be a string' }),
  blockedPrefixes: (value) =>
    Array.isArray(value) && value.every((item) => typeof item === 'string' && /^[0-9]+$/.test(item))
      ? { value: Object.freeze([...value]) }
      : { problem: 'must be an array of digit strings, such as ["57300"]' },
  queuedShare: share,
  bodyStyle: (value) =>
    SIMULATOR_BODY_STYLES.includes(value as SimulatorBodyStyle)
      ? { value: value as SimulatorBodyStyle }
      : { problem: `must be one of ${SIMULATOR_BODY_STYLES.join(', ')}` },
};

/**
 * Applies a `PUT /settings` body to the current settings and returns the new settings, or every
 * problem with the body. Nothing is applied unless the whole body is valid.
 */
export function parseSettingsUpdate(body: unknown, current: SimulatorSettings): Parsed<SimulatorSettings> {
  const parsed = parseFields(body, SETTINGS_FIELDS);
  return parsed.ok ? { ok: true, value: Object.freeze({ ...current, ...parsed.value }) } : parsed;
}
