import { simulatorSettingsUpdateSchema } from '@sms/kaarai-simulator-wire';
import { type Parsed, parseAdminBody } from './parse-admin-body';
import type { SimulatorSettings } from './simulator-settings';

/**
 * Applies a `PUT /settings` body to the current settings and returns the new settings, or every
 * problem with the body. Nothing is applied unless the whole body is valid.
 */
export function parseSettingsUpdate(body: unknown, current: SimulatorSettings): Parsed<SimulatorSettings> {
  const parsed = parseAdminBody(body, simulatorSettingsUpdateSchema);
  return parsed.ok ? { ok: true, value: Object.freeze({ ...current, ...parsed.value }) } : parsed;
}
