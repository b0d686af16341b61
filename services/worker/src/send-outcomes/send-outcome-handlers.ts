import type { SendAttempt } from '../send-attempt';
import { giveUpAfterRetries } from './give-up-after-retries';
import { holdSending } from './hold-sending';
import { recordRejected } from './record-rejected';
import { recordSent } from './record-sent';
import { recordUnknown } from './record-unknown';
import { retryLater } from './retry-later';
import type { SendOutcome, SendResult } from './send-outcome';
import { waitOutCircuit } from './wait-out-circuit';

export type SendOutcomeHandler = (attempt: SendAttempt, result: SendResult) => Promise<void>;

/**
 * For each outcome of a call: its `outcome` label in `sms_provider_answers_total`, and what the
 * worker does about it (services/worker/README.md, "One job", walks the same rows).
 */
export const SEND_OUTCOMES = {
  sent: { answer: 'success', handle: recordSent },
  rejected: { answer: 'dead_letter', handle: recordRejected },
  held: { answer: 'hold', handle: holdSending },
  circuit_open: { answer: 'circuit_open', handle: waitOutCircuit },
  retries_exhausted: { answer: 'dead_letter', handle: giveUpAfterRetries },
  retry: { answer: 'retry', handle: retryLater },
  unknown: { answer: 'unknown', handle: recordUnknown },
} as const satisfies Record<SendOutcome, { readonly answer: string; readonly handle: SendOutcomeHandler }>;
