export {
  DEAD_LETTER_REASONS,
  DEFAULT_PAGE_SIZE,
  type DeadLetterFilter,
  type DeadLetterPageRequest,
  MAX_PAGE_SIZE,
  parseDeadLetterFilter,
  parseDeadLetterPageRequest,
  parseValidFor,
  type QueryResult,
  REPLAY_VALIDITY_SECONDS,
} from './dead-letter-query';
export {
  type AttemptView,
  type DeadLetterDetails,
  type DeadLetterPage,
  type DeadLetterSummary,
  deadLetterDetailsSchema,
  deadLetterPageSchema,
  type ReplayAllResult,
  replayAllResultSchema,
  replayedSchema,
  type StatusView,
} from './dead-letter-views';
export { DeadLetters, type DeadLettersDeps } from './dead-letters';
export type { ReplayOptions, ReplayResult } from './replay-message';
export { type SweepOptions, type SweepTarget, sweepExpiredDeadLetters } from './sweep-expired-dead-letters';
