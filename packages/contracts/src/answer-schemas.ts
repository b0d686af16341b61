import { z } from 'zod';
import { API_ERROR_CODES, type ApiErrorCode } from './api-error-codes';
import { MESSAGE_STATUSES } from './message-status';
import { DELIVERY_MODES, SMS_PRIORITIES } from './sms-request-fields';
import { SMS_ENCODINGS } from './sms-segments';

// The bodies the gateway's API answers with. The API's view builders return the types inferred
// here, and its OpenAPI document is made from the same schemas, so the two cannot drift.

const API_ERROR_CODE_LIST = Object.keys(API_ERROR_CODES).map(Number) as ApiErrorCode[];

/** Any code of `API_ERROR_CODES`; a route's document narrows it to the codes that route answers. */
export const apiErrorCodeSchema = z.literal(API_ERROR_CODE_LIST);

const isoTime = z.iso.datetime();
const count = z.int().nonnegative();

/** The options a message was sent with, as every view of it shows them. */
export const messageOptionsViewSchema = z.object({
  priority: z.enum(SMS_PRIORITIES),
  delivery: z.enum(DELIVERY_MODES),
  reference: z.string().optional(),
  sendAt: isoTime
    .optional()
    .meta({ description: 'When it is (or was) to be sent; absent when sent at once.' }),
  encoding: z
    .enum(SMS_ENCODINGS)
    .optional()
    .meta({ description: 'How its text travels; absent only on messages older than this field.' }),
  segments: z.int().positive().optional().meta({ description: 'SMS parts its text takes.' }),
});
export type MessageOptionsView = z.output<typeof messageOptionsViewSchema>;

/** What `POST /v1/sms` answers (202): the message's id and where it stands. */
export const acceptedMessageViewSchema = z.object({
  id: z.uuid(),
  status: z.enum(['queued', 'scheduled']),
  ...messageOptionsViewSchema.shape,
});
export type AcceptedMessageView = z.output<typeof acceptedMessageViewSchema>;

/** What `GET /v1/sms/:id` answers. */
export const messageStatusViewSchema = z.object({
  id: z.uuid(),
  status: z.enum(MESSAGE_STATUSES),
  to: z.string().meta({ description: 'Receiver with its middle digits masked.' }),
  attempts: count,
  lastCode: z.int().optional().meta({ description: "Kaarai's code of the last answer." }),
  lastMessage: z.string().optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
  ...messageOptionsViewSchema.shape,
});
export type MessageStatusView = z.output<typeof messageStatusViewSchema>;

/** What `GET /v1/sms?reference=` answers: the client's messages with it, most recent first. */
export const referenceLookupSchema = z.object({
  reference: z.string(),
  messages: z.array(messageStatusViewSchema),
});
export type ReferenceLookup = z.output<typeof referenceLookupSchema>;

/** Why one message was refused: its code, the offending field, what is wrong. */
export const validationErrorSchema = z.object({
  code: apiErrorCodeSchema,
  field: z.string().optional(),
  message: z.string(),
});

/** One message of a batch's answer: what `POST /v1/sms` answers for it, or why it was refused. */
export const batchItemAnswerSchema = z.union([
  acceptedMessageViewSchema,
  z.object({ error: validationErrorSchema }),
]);
export type BatchItemAnswer = z.output<typeof batchItemAnswerSchema>;

/** What `POST /v1/sms/batch` answers (202), one item per message in the request's order. */
export const batchAnswerSchema = z.object({
  accepted: count,
  rejected: count,
  messages: z.array(batchItemAnswerSchema),
});
export type BatchAnswer = z.output<typeof batchAnswerSchema>;

/** Every refusal of the gateway's own routes. */
export const errorBodySchema = z.object({
  code: apiErrorCodeSchema,
  message: z.string(),
  field: z.string().optional().meta({ description: 'The offending field, header or parameter.' }),
  requestId: z.string().meta({ description: 'The X-Request-Id of the request, to find it in the logs.' }),
});
export type ErrorBody = z.output<typeof errorBodySchema>;

/** The 400 (4012) of a batch without a valid message: the error body and why each was refused. */
export const noValidMessageBodySchema = errorBodySchema.extend({
  accepted: z.literal(0),
  rejected: count,
  messages: z.array(z.object({ error: validationErrorSchema })),
});
export type NoValidMessageBody = z.output<typeof noValidMessageBodySchema>;
