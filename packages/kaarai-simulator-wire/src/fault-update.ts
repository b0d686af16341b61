import { z } from 'zod';
import { count, millis, share } from './admin-fields';

const MAX_LATENCY_MS = 600_000;
const MAX_OUTAGE_MS = 7 * 24 * 3_600_000;

/**
 * The body of `PUT /faults`: any subset of the faults, with the outage given either as
 * `outageMs` or as `outageUntil`; a field it does not know is refused. A `...Next` counter goes
 * down by one for each send request it hits; the rates share one random draw per request, so
 * they add up to at most 1 (checked by the simulator, against the faults already set).
 */
export const simulatorFaultUpdateSchema = z.strictObject({
  /** Share (0..1) of send requests answered 503/5030. @defaultValue 0 */
  failureRate: share(),
  /** The next N send requests are answered 503/5030. @defaultValue 0 */
  failNext: count(),
  /** Start an outage lasting this many milliseconds from now (at most a week); 0 ends any outage. */
  outageMs: millis(MAX_OUTAGE_MS),
  /** End of the outage as an ISO 8601 time; `null` for none. @defaultValue null */
  outageUntil: z
    .string({ error: 'must be an ISO 8601 time or null' })
    .refine((value) => !Number.isNaN(Date.parse(value)))
    .nullable()
    .exactOptional(),
  /** Milliseconds (up to 600000) added before every answer and reset on the send path. @defaultValue 0 */
  latencyMs: millis(MAX_LATENCY_MS),
  /** Share (0..1) of send requests read and never answered. @defaultValue 0 */
  hangRate: share(),
  /** The next N send requests are read and never answered. @defaultValue 0 */
  hangNext: count(),
  /** Share (0..1) of send requests whose connection is reset before they are processed. @defaultValue 0 */
  dropRate: share(),
  /** The next N send requests have their connection reset before they are processed. @defaultValue 0 */
  dropNext: count(),
  /** Share (0..1) of send requests processed (and recorded) whose answer is replaced by a reset. @defaultValue 0 */
  loseAnswerRate: share(),
  /** The next N send requests are processed (and recorded) and their answer replaced by a reset. @defaultValue 0 */
  loseAnswerNext: count(),
});
export type SimulatorFaultUpdate = z.input<typeof simulatorFaultUpdateSchema>;

/** All the faults, as `GET`, `PUT` and `DELETE /faults` answer them. */
export type SimulatorFaultsView = Readonly<
  Required<Omit<z.output<typeof simulatorFaultUpdateSchema>, 'outageMs'>>
>;
