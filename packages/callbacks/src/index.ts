export { CallbackClient, type CallbackClientOptions, type PostResult } from './callback-client';
export {
  CallbackOutbox,
  type CallbackOutboxOptions,
  type OutboxEntry,
  type PendingEvent,
  parseOutboxEntry,
} from './callback-outbox';
export {
  type CallbackJobData,
  type CallbackJobSettings,
  type CallbackQueue,
  createCallbackQueue,
  scheduleCallbacks,
} from './callback-queue';
export {
  type GivenUpCallback,
  type GivenUpCallbackDetails,
  GivenUpCallbacks,
  type GivenUpCallbacksOptions,
  type GivenUpFilter,
  type GivenUpPage,
  type GivenUpPageRequest,
  type ReplayedCallbacks,
} from './given-up-callbacks';
export { parseEventId } from './given-up-keys';
export {
  DEFAULT_GIVEN_UP_PAGE_SIZE,
  MAX_GIVEN_UP_PAGE_SIZE,
  parseGivenUpFilter,
  parseGivenUpPageRequest,
} from './given-up-query';
export {
  givenUpCallbackDetailsSchema,
  givenUpCallbackSchema,
  givenUpPageSchema,
  replayedCallbacksSchema,
} from './given-up-views';
export { type ResumeSettings, resumeStrandedCallbacks } from './resume-stranded-callbacks';
export {
  createStatusCallbacks,
  NO_STATUS_EVENTS,
  type StatusCallbacksDeps,
  type StatusEvents,
} from './status-callbacks';
