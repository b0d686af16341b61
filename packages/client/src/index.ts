export type {
  AcceptedMessage,
  BatchAnswer,
  ErrorBody,
  GatewayErrorCode,
  MessageStatus,
  ReferenceLookup,
  SmsMessage,
} from './api-types';
export type { components, operations, paths } from './generated/openapi';
export { DEFAULT_RETRY, isRetryable, type RetryOptions, retryDelayMs } from './retry-policy';
export { type CallOptions, type SendOptions, SmsClient, type SmsClientOptions } from './sms-client';
export {
  CLIENT_ERROR_CODES,
  type ClientErrorCode,
  isSmsClientError,
  SmsClientError,
  type SmsClientErrorDetails,
  type SmsErrorCode,
} from './sms-client-error';
export {
  type CallbackHeaders,
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  type VerifyCallbackOptions,
  verifyCallback,
} from './verify-callback';
