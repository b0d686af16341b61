import { givenUpCallbackDetailsSchema, givenUpPageSchema, replayedCallbacksSchema } from '@sms/callbacks';
import {
  API_ERROR_CODES,
  type ApiErrorCode,
  acceptedMessageViewSchema,
  batchAnswerSchema,
  errorBodySchema,
  type KaaraiCode,
  messageStatusViewSchema,
  noValidMessageBodySchema,
  referenceLookupSchema,
  smsRequestSchema,
  type ValidationLimits,
} from '@sms/contracts';
import {
  DEAD_LETTER_REASONS,
  deadLetterDetailsSchema,
  deadLetterPageSchema,
  REPLAY_VALIDITY_SECONDS,
  replayAllResultSchema,
  replayedSchema,
} from '@sms/dead-letters';
import { z } from 'zod';
import { kaaraiAnswerBodySchema } from '../kaarai-entry/kaarai-answer';

export type JsonSchema = Record<string, unknown>;

/** Limits of the running configuration that the request schemas state. */
export interface RequestLimits extends ValidationLimits {
  /** Most messages in one `POST /v1/sms/batch` (MAX_BATCH_MESSAGES). */
  readonly maxBatchMessages: number;
}

/** A zod schema as JSON Schema 2020-12, which OpenAPI 3.1 takes as it is. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const validFor = z
  .int()
  .min(REPLAY_VALIDITY_SECONDS.min)
  .max(REPLAY_VALIDITY_SECONDS.max)
  .meta({ description: 'Seconds the replayed message stays worth sending. Default: its original validity.' });

// The dead-letter routes check their bodies by hand (@sms/dead-letters' parsers); these schemas
// describe what those parsers take.
const replayAllRequestSchema = z.strictObject({
  reason: z.enum(DEAD_LETTER_REASONS).optional(),
  since: z.string().optional().meta({ description: 'Earliest deadLetteredAt included, ISO 8601.' }),
  until: z.string().optional().meta({ description: 'deadLetteredAt before this, ISO 8601.' }),
  validFor: validFor.optional(),
});
const replayOneRequestSchema = z.strictObject({ validFor: validFor.optional() });
const replayGivenUpRequestSchema = z.strictObject({
  client: z.string().optional().meta({ description: "A client's name (API_KEYS)." }),
  since: z.string().optional().meta({ description: 'Earliest givenUpAt included, ISO 8601.' }),
  until: z.string().optional().meta({ description: 'givenUpAt before this, ISO 8601.' }),
});

/**
 * The named schemas of `components.schemas`, converted together so that one names another by
 * `$ref`. Requests are converted as what a caller sends (`io: 'input'`), answers as what the API
 * writes.
 */
export function componentSchemas(limits: RequestLimits): Record<string, JsonSchema> {
  const smsRequest = smsRequestSchema(limits);
  const requests = z.registry<{ id: string }>();
  requests.add(smsRequest, { id: 'SmsRequest' });
  requests.add(z.strictObject({ messages: z.array(smsRequest).min(1).max(limits.maxBatchMessages) }), {
    id: 'SmsBatchRequest',
  });
  requests.add(replayAllRequestSchema, { id: 'ReplayDeadLettersRequest' });
  requests.add(replayOneRequestSchema, { id: 'ReplayDeadLetterRequest' });
  requests.add(replayGivenUpRequestSchema, { id: 'ReplayGivenUpCallbacksRequest' });

  const answers = z.registry<{ id: string }>();
  answers.add(acceptedMessageViewSchema, { id: 'AcceptedMessage' });
  answers.add(batchAnswerSchema, { id: 'BatchAnswer' });
  answers.add(messageStatusViewSchema, { id: 'MessageStatus' });
  answers.add(referenceLookupSchema, { id: 'ReferenceLookup' });
  answers.add(errorBodySchema, { id: 'ErrorBody' });
  answers.add(deadLetterPageSchema, { id: 'DeadLetterPage' });
  answers.add(deadLetterDetailsSchema, { id: 'DeadLetterDetails' });
  answers.add(replayedSchema, { id: 'DeadLetterReplayed' });
  answers.add(replayAllResultSchema, { id: 'DeadLettersReplayed' });
  answers.add(kaaraiAnswerBodySchema, { id: 'KaaraiAnswer' });
  answers.add(givenUpPageSchema, { id: 'GivenUpCallbackPage' });
  answers.add(givenUpCallbackDetailsSchema, { id: 'GivenUpCallbackDetails' });
  answers.add(replayedCallbacksSchema, { id: 'GivenUpCallbacksReplayed' });

  const uri = (id: string) => `#/components/schemas/${id}`;
  const converted = {
    ...z.toJSONSchema(requests, { io: 'input', uri, unrepresentable: 'any' }).schemas,
    ...z.toJSONSchema(answers, { io: 'output', uri, unrepresentable: 'any' }).schemas,
  };
  // Each comes with `$schema` and an `$id` that is only a fragment, which 2020-12 forbids.
  return Object.fromEntries(
    Object.entries(converted).map(([id, { $schema: _, $id: __, ...schema }]) => [id, schema]),
  );
}

/** The error body of one route and HTTP status, its `code` narrowed to the codes it answers there. */
export function errorBodyWith(codes: readonly ApiErrorCode[]): JsonSchema {
  if (codes.length === 0) throw new Error('an error response needs at least one code');
  const plain = codes.filter((code) => code !== 4012);
  const withCodes = (only: readonly ApiErrorCode[]) => errorBodySchema.extend({ code: z.literal(only) });
  // 4012 answers the batch's refusals too, in members of its own.
  if (plain.length === codes.length) return jsonSchemaOf(withCodes(codes));
  const noValid = noValidMessageBodySchema.extend({ code: z.literal(4012) });
  return jsonSchemaOf(plain.length === 0 ? noValid : z.union([withCodes(plain), noValid]));
}

/** The Kaarai entry's answer with its `code` narrowed to the given codes. */
export function kaaraiAnswerWith(codes: readonly KaaraiCode[]): JsonSchema {
  return jsonSchemaOf(kaaraiAnswerBodySchema.extend({ code: z.literal(codes) }));
}

/** The HTTP status a gateway code is answered with. */
export function httpStatusOf(code: ApiErrorCode): number {
  return API_ERROR_CODES[code].httpStatus;
}
