import type { KaaraiAction, NoAnswerReason } from '@sms/contracts';

/** Kaarai answered; `action` is what the gateway does about the answer. */
export interface AnsweredOutcome {
  readonly type: 'answered';
  readonly action: KaaraiAction;
  readonly code: number;
  readonly message: string;
  readonly httpStatus: number;
  /** Kaarai's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs?: number;
  readonly durationMs: number;
}

/**
 * No answer arrived. `requestSent` is true when the request may have reached Kaarai (a timeout
 * or a connection dropped mid-call): the outcome is unknown and a retry may duplicate the SMS.
 */
export interface NoAnswerOutcome {
  readonly type: 'no_answer';
  readonly action: Extract<KaaraiAction, 'retry' | 'hold'>;
  readonly reason: NoAnswerReason;
  readonly requestSent: boolean;
  readonly message: string;
  readonly durationMs: number;
}

export type KaaraiOutcome = AnsweredOutcome | NoAnswerOutcome;
