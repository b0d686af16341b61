import { isOneOf } from './is-one-of';

/** Every reason a message can be dead-lettered for, in the order operators usually care. */
export const DEAD_LETTER_REASONS = ['rejected', 'retries_exhausted', 'expired'] as const;

/** Why a message ended in the dead-letter queue. */
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export const isDeadLetterReason = isOneOf(DEAD_LETTER_REASONS);
