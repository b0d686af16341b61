import {
  type DeliveryMode,
  maskNumber,
  type SmsEncoding,
  type SmsJobData,
  type SmsPriority,
} from '@sms/contracts';

/**
 * What a status record says of its message whatever the status: whose it is, to whom, when it
 * was accepted, and the options it was sent with. Times are milliseconds since the epoch.
 */
export interface RecordIdentity {
  readonly client: string;
  /** Receiver, masked: status records never hold the full number. */
  readonly to: string;
  readonly createdAt: number;
  readonly priority?: SmsPriority;
  /** Absent means `at-least-once`. */
  readonly delivery?: DeliveryMode;
  readonly reference?: string;
  readonly sendAt?: number;
  readonly encoding?: SmsEncoding;
  readonly segments?: number;
}

/** The identity of a send job's message, written with every record a message may start with. */
export function recordIdentity(data: SmsJobData): RecordIdentity {
  return {
    client: data.client,
    to: maskNumber(data.to),
    createdAt: data.acceptedAt,
    ...(data.priority !== undefined && { priority: data.priority }),
    ...(data.delivery !== undefined && { delivery: data.delivery }),
    ...(data.reference !== undefined && { reference: data.reference }),
    ...(data.sendAt !== undefined && { sendAt: data.sendAt }),
    ...(data.encoding !== undefined && { encoding: data.encoding }),
    ...(data.segments !== undefined && { segments: data.segments }),
  };
}
