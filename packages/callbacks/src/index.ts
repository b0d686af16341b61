export { CallbackClient, type CallbackClientOptions, type PostResult } from './callback-client';
export {
  CallbackOutbox,
  type CallbackOutboxOptions,
  type OutboxEntry,
  type PendingEvent,
} from './callback-outbox';
export {
  type CallbackJobData,
  type CallbackJobSettings,
  type CallbackQueue,
  createCallbackQueue,
  scheduleCallbacks,
} from './callback-queue';
export { type ResumeSettings, resumeStrandedCallbacks } from './resume-stranded-callbacks';
export {
  createStatusCallbacks,
  NO_STATUS_EVENTS,
  type StatusCallbacksDeps,
  type StatusEvents,
} from './status-callbacks';
