import {
  codeForHttpStatus,
  isKaaraiCode,
  KAARAI_CODES,
  NO_ANSWER_POLICY,
  type NoAnswerReason,
} from '@sms/contracts';
import type { AnsweredOutcome, NoAnswerOutcome } from './kaarai-outcome';
import { parseKaaraiAnswer } from './parse-kaarai-answer';

/** Turns an HTTP answer from Kaarai into the gateway's typed outcome. */
export function classifyAnswer(
  httpStatus: number,
  body: string | undefined,
  retryAfter: string | undefined,
  durationMs: number,
): AnsweredOutcome {
  const parsed = parseKaaraiAnswer(httpStatus, body);
  // A code the document does not list is judged by its HTTP status, keeping the code for logs.
  const known = isKaaraiCode(parsed.code) ? parsed.code : codeForHttpStatus(httpStatus);
  const info = KAARAI_CODES[known];
  const retryAfterMs = parseRetryAfter(retryAfter);
  return {
    type: 'answered',
    action: info.action,
    code: parsed.code,
    message: parsed.message || info.text,
    httpStatus,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
    durationMs,
  };
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUTS = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
// Certificate problems mean our trust settings or Kaarai's URL are wrong: every message would
// fail alike, so they hold sending rather than burn retries. EPROTO is what Node reports for an
// https:// URL pointing at a plain-HTTP port.
const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL|^EPROTO$/i;

/** Turns a failed call (no HTTP answer) into the gateway's typed outcome. */
export function classifyFailure(
  error: { code?: string; message: string },
  durationMs: number,
): NoAnswerOutcome {
  const code = error.code ?? '';
  const reason: NoAnswerReason = TLS_ERROR.test(code)
    ? 'tls'
    : NOT_SENT.has(code)
      ? 'connection_failed'
      : TIMEOUTS.has(code)
        ? 'timeout'
        : 'connection_dropped';
  return { type: 'no_answer', ...NO_ANSWER_POLICY[reason], reason, message: error.message, durationMs };
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
