import { type ApiErrorCode, KAARAI_CODES, type KaaraiCode } from '@sms/contracts';
import { z } from 'zod';
import type { ApiError } from '../api-error';

/** The body of every answer of the Kaarai entry, as Kaarai's document gives it. */
export const kaaraiAnswerBodySchema = z.object({
  code: z.literal(Object.keys(KAARAI_CODES).map(Number) as KaaraiCode[]),
  message: z.string(),
});

/** An answer in Kaarai's own form: its HTTP status and the body `{"code", "message"}`. */
export interface KaaraiAnswer {
  readonly httpStatus: number;
  readonly body: z.output<typeof kaaraiAnswerBodySchema>;
}

/** The answer once a message is in Redis: the gateway sends it later, as Kaarai's 2021 says. */
export const QUEUED_ANSWER: KaaraiAnswer = kaaraiAnswer(2021);

// How a refusal of the gateway reads in Kaarai's vocabulary, which has fewer codes. The first
// table that has a row decides:
// 1. Codes Kaarai has too keep their number.
// 2. Another refusal of the receiver or of the text is Kaarai's refusal of that field (4003,
//    4002): a client that follows the document then puts that one message aside.
// 3. Otherwise the HTTP status decides. Every other 400 and 413 is a request Kaarai's document
//    would not take (4000, which such a client holds on, as it would for a content type: its
//    requests are built wrong); a 429 (a quota) is 5030, the one code the document says to retry
//    later, and so is any fault of the gateway (the document's 503 is its "internal error").
//    A 403 is 4030: gateway 4032, a sender id this client may not use, is a refusal of what the
//    user may do, and a client that holds its sending on it stops messages that would all be
//    refused the same way.
const BY_CODE: Partial<Record<ApiErrorCode, KaaraiCode>> = { 4001: 4001, 4002: 4002, 4003: 4003 };
// A Map: the field of a 4006 is the caller's unknown name, and a plain object would find
// `constructor` or `toString` on its prototype.
const BY_FIELD: ReadonlyMap<string, KaaraiCode> = new Map([
  ['to', 4003],
  ['text', 4002],
]);
const BY_HTTP_STATUS: Readonly<Record<number, KaaraiCode>> = {
  400: 4000,
  401: 4030,
  403: 4030,
  404: 4040,
  413: 4000,
};
const OTHERWISE: KaaraiCode = 5030;

/** The Kaarai code a gateway refusal is answered with on the Kaarai entry. */
export function kaaraiCodeFor(error: Pick<ApiError, 'code' | 'field' | 'httpStatus'>): KaaraiCode {
  return (
    BY_CODE[error.code] ??
    (error.httpStatus === 400 && error.field !== undefined ? BY_FIELD.get(error.field) : undefined) ??
    BY_HTTP_STATUS[error.httpStatus] ??
    OTHERWISE
  );
}

/** What fills the document's «xxx» in «Invalid content-type: xxx» and «…for user: xxx». */
export interface AnswerContext {
  /** The request's Content-Type, or what else made the body unreadable. */
  readonly contentDetail: string;
  /** The Basic-auth user presented, or `''`. */
  readonly user: string;
}

/** A refusal as Kaarai's document words it: the code's text, with «xxx» filled in for 4000 and 4030. */
export function kaaraiAnswerFor(error: ApiError, context: AnswerContext): KaaraiAnswer {
  const code = kaaraiCodeFor(error);
  if (code === 4000) return kaaraiAnswer(code, context.contentDetail);
  if (code === 4030) return kaaraiAnswer(code, context.user);
  return kaaraiAnswer(code);
}

function kaaraiAnswer(code: KaaraiCode, detail?: string): KaaraiAnswer {
  const { httpStatus, text } = KAARAI_CODES[code];
  // The document writes the texts of 4000 and 4030 with the detail after a colon.
  const message = detail === undefined ? text : `${text}: ${detail.slice(0, 200)}`;
  return { httpStatus, body: { code, message } };
}
