import { DELIVERY_MODES, type DeliveryMode, isDeliveryMode } from '@sms/contracts';
import { CLIENT_NAME } from './client-name';
import { envList } from './env-types';

/**
 * CLIENT_DELIVERY_MODES: `client=mode` pairs, comma-separated, into a map from client to the
 * delivery mode of its messages that do not name one.
 */
export function clientDeliveryModes() {
  return envList().transform((entries, ctx) => {
    const modes = new Map<string, DeliveryMode>();
    if (entries.length === 0)
      ctx.addIssue({ code: 'custom', message: 'needs at least one client=mode entry' });
    for (const entry of entries) {
      const separator = entry.indexOf('=');
      const client = entry.slice(0, separator).trim();
      const mode = entry.slice(separator + 1).trim();
      if (separator < 1 || !CLIENT_NAME.test(client)) {
        ctx.addIssue({
          code: 'custom',
          message: `entry "${entry.slice(0, 40)}" must look like client=at-most-once`,
        });
      } else if (!isDeliveryMode(mode)) {
        ctx.addIssue({
          code: 'custom',
          message: `the mode of client "${client}" must be one of ${DELIVERY_MODES.join(', ')}, not "${mode.slice(0, 32)}"`,
        });
      } else if (modes.has(client)) {
        ctx.addIssue({ code: 'custom', message: `client "${client}" is listed twice` });
      } else {
        modes.set(client, mode);
      }
    }
    return modes;
  });
}
