import type { components } from './generated/openapi';

type Schemas = components['schemas'];

/** One message to send: the body of `POST /v1/sms`, one item of a batch. */
export type SmsMessage = Schemas['SmsRequest'];
/** The answer to an accepted message: its id, status, priority... */
export type AcceptedMessage = Schemas['AcceptedMessage'];
/** The answer to a batch: counts, then each message's acceptance or error, in request order. */
export type BatchAnswer = Schemas['BatchAnswer'];
/** A message's status view (`GET /v1/sms/:id`). */
export type MessageStatus = Schemas['MessageStatus'];
/** The messages known under one reference, most recently accepted first. */
export type ReferenceLookup = Schemas['ReferenceLookup'];
/** Every refusal of the gateway's `/v1` routes. */
export type ErrorBody = Schemas['ErrorBody'];
/** The gateway's numeric error codes (docs/errors.md). */
export type GatewayErrorCode = ErrorBody['code'];
