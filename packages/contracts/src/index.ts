export { API_ERROR_CODES, type ApiErrorCode } from './api-error-codes';
export { GSM_BASIC_TABLE, GSM_EXTENSION_TABLE } from './gsm-alphabet';
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
  type AcceptedMessageView,
  CANCELABLE_STATUSES,
  FINAL_STATUSES,
  isFinalStatus,
  MESSAGE_STATUSES,
  type MessageOptionsView,
  type MessageStatus,
  type MessageStatusView,
} from './message-status';
export type { SmsJobData } from './sms-job';
export {
  type SmsRequest,
  type ValidationError,
  type ValidationResult,
  validateSmsRequest,
} from './sms-request';
export {
  codePointOf,
  controlCharacterIn,
  type FieldCodes,
  MIN_VALIDITY_SECONDS,
  SMS_PRIORITIES,
  SMS_REQUEST_FIELDS,
  type SmsPriority,
  type SmsRequestField,
  type SmsRequestFieldName,
  smsRequestSchema,
  type ValidationLimits,
} from './sms-request-fields';
export {
  SEGMENT_CAPACITY,
  SMS_ENCODINGS,
  type SmsEncoding,
  type SmsSegments,
  smsSegmentsOf,
} from './sms-segments';
