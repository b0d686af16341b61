import { SIMULATOR_BODY_STYLES } from '@sms/config';
import { z } from 'zod';
import { share } from './admin-fields';

const DIGIT_STRINGS = 'must be an array of digit strings, such as ["57300"]';

/**
 * The body of `PUT /settings`: any subset of the settings of the simulated Kaarai account; a
 * field it does not know is refused.
 */
export const simulatorSettingsUpdateSchema = z.strictObject({
  /**
   * Basic-auth user that is accepted; Basic auth splits user from password at the first colon,
   * so a user cannot contain one. @defaultValue 'gateway'
   */
  user: z
    .string({ error: 'must be a non-empty string without a colon' })
    .regex(/^[^:]+$/)
    .exactOptional(),
  /** Basic-auth password that is accepted. @defaultValue 'secret' */
  password: z.string({ error: 'must be a string' }).exactOptional(),
  /** Numbers starting with one of these are answered 4031. @defaultValue [] */
  blockedPrefixes: z
    .array(z.string({ error: DIGIT_STRINGS }).regex(/^[0-9]+$/), { error: DIGIT_STRINGS })
    .readonly()
    .exactOptional(),
  /** Share (0..1) of accepted messages answered 2021 instead of 2020. @defaultValue 0 */
  queuedShare: share(),
  /** Shape of every answer body on the Kaarai ports. @defaultValue 'json' */
  bodyStyle: z
    .enum(SIMULATOR_BODY_STYLES, { error: `must be one of ${SIMULATOR_BODY_STYLES.join(', ')}` })
    .exactOptional(),
});
export type SimulatorSettingsUpdate = z.input<typeof simulatorSettingsUpdateSchema>;

/**
 * The settings as `GET` and `PUT /settings` answer them: all but the password, which is the one
 * a gateway sends to Kaarai. The admin port has no authentication and is often published, so it
 * may set the password but never answers it.
 */
export type SimulatorSettingsView = Readonly<
  Required<Omit<z.output<typeof simulatorSettingsUpdateSchema>, 'password'>>
>;
