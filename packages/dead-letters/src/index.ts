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
export type {
  AttemptView,
  DeadLetterDetails,
  DeadLetterSummary,
  StatusView,
} from './dead-letter-views';
export { type DeadLetterPage, DeadLetters, type DeadLettersDeps, type ReplayAllResult } from './dead-letters';
export type { ReplayOptions, ReplayResult } from './replay-message';
