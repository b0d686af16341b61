export { API_ERROR_CODES, type ApiErrorCode } from './api-error-codes';
export {
  codeForHttpStatus,
  isKaaraiCode,
  KAARAI_CODES,
  type KaaraiAction,
  type KaaraiCode,
  type KaaraiCodeInfo,
  NO_ANSWER_POLICY,
  type NoAnswerInfo,
  type NoAnswerReason,
} from './kaarai-codes';
export { maskNumber } from './mask-number';
export {
  FINAL_STATUSES,
  isFinalStatus,
  MESSAGE_STATUSES,
  type MessageStatus,
  type MessageStatusView,
} from './message-status';
export type { SmsJobData } from './sms-job';
export {
  MIN_VALIDITY_SECONDS,
  type SmsRequest,
  type ValidationError,
  type ValidationLimits,
  type ValidationResult,
  validateSmsRequest,
} from './sms-request';
