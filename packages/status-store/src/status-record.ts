import type { MessageStatus } from '@sms/contracts';
import type { RecordIdentity } from './record-identity';

/** One message's recorded state, as stored. Times are milliseconds since the epoch. */
export interface StatusRecord extends RecordIdentity {
  readonly id: string;
  readonly status: MessageStatus;
  readonly attempts: number;
  readonly lastCode?: number;
  readonly lastMessage?: string;
  readonly updatedAt: number;
}

/** One call to Kaarai, kept in the message's history (for the dead-letter tools). */
export interface AttemptRecord {
  readonly attempt: number;
  /** Kaarai's code; absent when no answer arrived. */
  readonly code?: number;
  /** What the gateway made of it: success, retry, dead_letter, hold, expired... */
  readonly outcome: string;
  readonly message: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

/** A record as `readWithHistory` reads it, with its attempts, oldest first. */
export interface RecordWithHistory {
  /** Undefined when there is none, or when it holds a value the gateway never writes (`error`). */
  readonly record: StatusRecord | undefined;
  readonly history: AttemptRecord[];
  readonly error?: unknown;
}
