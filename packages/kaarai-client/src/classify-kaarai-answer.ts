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

// Only a connection attempt produces these: the request was never written, whatever the socket.
const BEFORE_CONNECTING = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const TIMEOUTS = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
// Certificate problems mean our trust settings or Kaarai's URL are wrong: every message would
// fail alike, so they hold sending rather than burn retries. EPROTO is what Node reports for an
// https:// URL pointing at a plain-HTTP port.
const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL|^EPROTO$/i;

/**
 * Turns a failed call (no HTTP answer) into the gateway's typed outcome. `connected` says
 * whether the call had an established connection (TCP connected, and TLS handshake done for
 * https), the point from which its request is written: without one it cannot have reached
 * Kaarai, so even a timeout is a certain failure, not an unknown outcome.
 */
export function classifyFailure(
  error: { code?: string | undefined; message: string; connected: boolean },
  durationMs: number,
): NoAnswerOutcome {
  const reason = reasonOf(error.code ?? '', error.connected);
  return { type: 'no_answer', ...NO_ANSWER_POLICY[reason], reason, message: error.message, durationMs };
}

function reasonOf(code: string, connected: boolean): NoAnswerReason {
  if (TLS_ERROR.test(code)) return 'tls';
  const written = connected && !BEFORE_CONNECTING.has(code);
  if (TIMEOUTS.has(code)) return written ? 'timeout' : 'connect_timeout';
  return written ? 'connection_dropped' : 'connection_failed';
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
