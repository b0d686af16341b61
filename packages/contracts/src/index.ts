export {
  type AcceptedMessageView,
  acceptedMessageViewSchema,
  apiErrorCodeSchema,
  type BatchAnswer,
  type BatchItemAnswer,
  batchAnswerSchema,
  type ErrorBody,
  errorBodySchema,
  type MessageOptionsView,
  type MessageStatusView,
  messageStatusViewSchema,
  type NoValidMessageBody,
  noValidMessageBodySchema,
  type ReferenceLookup,
  referenceLookupSchema,
} from './answer-schemas';
export { API_ERROR_CODES, type ApiErrorCode } from './api-error-codes';
export {
  CALLBACK_EVENT_ID_HEADER,
  CALLBACK_REPLAY_WINDOW_SECONDS,
  CALLBACK_SIGNATURE_HEADER,
  CALLBACK_STATUSES,
  type CallbackEvent,
  type CallbackStatus,
  isCallbackStatus,
} from './callback-event';
export {
  type CallbackOrigin,
  callbackUrlProblem,
  isCallbackUrlAllowed,
  MAX_CALLBACK_URL_LENGTH,
  parseCallbackOrigin,
} from './callback-url';
export { DEAD_LETTER_REASONS, type DeadLetterReason, isDeadLetterReason } from './dead-letter-reason';
export { GSM_BASIC_TABLE, GSM_EXTENSION_TABLE } from './gsm-alphabet';
export { isOneOf } from './is-one-of';
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
  CANCELABLE_STATUSES,
  FINAL_STATUSES,
  isFinalStatus,
  isMessageStatus,
  MESSAGE_STATUSES,
  type MessageStatus,
} from './message-status';
export {
  parsePageLimit,
  parseTimeWindow,
  type QueryResult,
  queryFailure,
  unknownQueryField,
} from './operator-query';
export {
  describeSenderIds,
  isSenderIdAllowed,
  normaliseSender,
  parseSenderIdPattern,
  type SenderIdPattern,
} from './sender-ids';
export { callbackSignature, verifyCallbackSignature } from './sign-callback';
export type { SmsJobData } from './sms-job';
export {
  type SmsRequest,
  type ValidationError,
  type ValidationResult,
  validateSmsRequest,
} from './sms-request';
export {
  DELIVERY_MODES,
  type DeliveryMode,
  type FieldCodes,
  isDeliveryMode,
  isSmsPriority,
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
  isSmsEncoding,
  SEGMENT_CAPACITY,
  SMS_ENCODINGS,
  type SmsEncoding,
  type SmsSegments,
  smsSegmentsOf,
} from './sms-segments';
