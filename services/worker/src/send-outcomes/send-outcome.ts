import type { DeliveryMode, KaaraiAction } from '@sms/contracts';
import type { KaaraiOutcome } from '@sms/kaarai-client';
import type { LastAttempt } from '../send-attempt';

/** What becomes of a message after one call to Kaarai; each has its handler (`SEND_OUTCOMES`). */
export type SendOutcome =
  | 'sent'
  | 'rejected'
  | 'held'
  | 'circuit_open'
  | 'retries_exhausted'
  | 'retry'
  | 'unknown';

/** One call's outcome from Kaarai, in the shape every handler of an outcome uses. */
export interface SendResult {
  readonly outcome: KaaraiOutcome;
  /** Kaarai's code; 0 when no answer arrived. */
  readonly code: number;
  /** Why a failed call failed, for the circuit, metrics and logs: the code, or why no answer came. */
  readonly reason: string;
  readonly last: LastAttempt;
  /** True when this call was the one probe a closed gate let through. */
  readonly isProbe: boolean;
}

export function sendResultOf(outcome: KaaraiOutcome, attempt: number, isProbe: boolean): SendResult {
  const code = outcome.type === 'answered' ? outcome.code : 0;
  return {
    outcome,
    code,
    reason: outcome.type === 'answered' ? String(code) : outcome.reason,
    last: { attempts: attempt, lastCode: code, lastMessage: outcome.message },
    isProbe,
  };
}

/** Every action but `retry` is an outcome of its own: the message's fate does not depend on more. */
const OUTCOME_OF_ACTION = {
  succeed: 'sent',
  dead_letter: 'rejected',
  hold: 'held',
  retry: 'retry',
} as const satisfies Record<KaaraiAction, SendOutcome>;

/** What the worker knows of a failed call besides Kaarai's answer. */
export interface FailureContext {
  /** The failure closed the circuit, or found it closed: Kaarai is down, not this message. */
  readonly circuitOpen: boolean;
  /** The job has no attempt left after this one. */
  readonly lastAttempt: boolean;
  /**
   * An `at-most-once` message whose call may have reached Kaarai (no answer after the request
   * was written): a retry could send it twice, so it must not be retried.
   */
  readonly mayHaveReachedKaarai: boolean;
}

/**
 * The outcome of a call whose answer asks for `action`. A failure (`retry`) of an
 * `at-most-once` message that may have reached Kaarai ends it `unknown`, whatever the circuit
 * says; any other failure costs the message an attempt unless the circuit is open, and ends it
 * when it was its last.
 */
export function sendOutcomeOf(action: KaaraiAction, failure: FailureContext): SendOutcome {
  const outcome = OUTCOME_OF_ACTION[action];
  if (outcome !== 'retry') return outcome;
  if (failure.mayHaveReachedKaarai) return 'unknown';
  if (failure.circuitOpen) return 'circuit_open';
  return failure.lastAttempt ? 'retries_exhausted' : 'retry';
}

/**
 * True when a retry of this call could send the message twice and its mode forbids that: an
 * `at-most-once` message whose call got no answer after its request was written.
 */
export function mayHaveReachedKaarai(outcome: KaaraiOutcome, delivery: DeliveryMode | undefined): boolean {
  return delivery === 'at-most-once' && outcome.type === 'no_answer' && outcome.requestSent;
}
