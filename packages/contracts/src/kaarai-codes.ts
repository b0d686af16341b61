/**
 * The gateway's delivery policy, as data: every answer code in Kaarai's send-SMS API document,
 * with the HTTP status it comes with and what the gateway does about it (check it line by line
 * against the document), followed by what it does when no answer arrives.
 *
 * - `succeed`: Kaarai took the message.
 * - `retry`: a transient fault on Kaarai's side; try the same message again later.
 * - `dead_letter`: the message itself will never be accepted; keep it aside, never retry.
 * - `hold`: the gateway is misconfigured (credentials, URL, content type); every message would
 *   fail the same way, so stop sending instead of burning messages.
 */
export type KaaraiAction = 'succeed' | 'retry' | 'dead_letter' | 'hold';

export interface KaaraiCodeInfo {
  readonly httpStatus: number;
  readonly text: string;
  readonly action: KaaraiAction;
}

export const KAARAI_CODES = {
  2020: { httpStatus: 202, text: 'Accepted for delivery', action: 'succeed' },
  2021: { httpStatus: 202, text: 'Queued for later delivery', action: 'succeed' },
  4000: { httpStatus: 400, text: 'Invalid content-type', action: 'hold' },
  4001: { httpStatus: 400, text: 'Missing receiver number, rejected', action: 'dead_letter' },
  4002: { httpStatus: 400, text: 'Missing text message, rejected', action: 'dead_letter' },
  4003: { httpStatus: 400, text: 'Invalid receiver number, rejected', action: 'dead_letter' },
  4030: { httpStatus: 403, text: 'Authorization failed for user', action: 'hold' },
  4031: { httpStatus: 403, text: 'Not routable. Do not try again', action: 'dead_letter' },
  4040: { httpStatus: 404, text: 'Unknown request', action: 'hold' },
  5030: { httpStatus: 503, text: 'Temporal failure, try again later', action: 'retry' },
} as const satisfies Record<number, KaaraiCodeInfo>;

export type KaaraiCode = keyof typeof KAARAI_CODES;

/**
 * Why a call to Kaarai produced no answer. `timeout` and `connection_dropped` happened on an
 * established connection, after the request was written; `connect_timeout`, `connection_failed`
 * and `tls` before any connection was established (TCP connected and TLS handshake done).
 */
export type NoAnswerReason =
  | 'timeout'
  | 'connect_timeout'
  | 'connection_failed'
  | 'connection_dropped'
  | 'tls';

export interface NoAnswerInfo {
  readonly action: Extract<KaaraiAction, 'retry' | 'hold'>;
  /**
   * True when the request may have reached Kaarai: the outcome is unknown and a retry can
   * duplicate the SMS. This is the one place a duplicate can arise.
   */
  readonly requestSent: boolean;
}

/**
 * Calls that got no answer. Timeouts and dropped connections after the request was written are
 * retried although Kaarai may have the message (counted as unknown outcomes); a call that never
 * got a connection (refused, unreachable, or a connect or TLS handshake that timed out) cannot
 * have reached Kaarai; certificate failures mean our trust settings or URL are wrong and hold
 * sending like 4030/4040.
 */
export const NO_ANSWER_POLICY = {
  timeout: { action: 'retry', requestSent: true },
  connection_dropped: { action: 'retry', requestSent: true },
  connect_timeout: { action: 'retry', requestSent: false },
  connection_failed: { action: 'retry', requestSent: false },
  tls: { action: 'hold', requestSent: false },
} as const satisfies Record<NoAnswerReason, NoAnswerInfo>;

export function isKaaraiCode(code: number): code is KaaraiCode {
  return Object.hasOwn(KAARAI_CODES, code);
}

/**
 * The code to assume when an answer carries no recognisable code: a proxy or load balancer in
 * front of Kaarai answers with a bare HTTP status. Statuses that point at our own setup hold;
 * anything unknown is retried rather than thrown away.
 */
export function codeForHttpStatus(status: number): KaaraiCode {
  if (status >= 200 && status < 300) return 2020;
  // Redirects are not followed (a replayed POST could send twice): the URL needs fixing.
  if (status >= 300 && status < 400) return 4040;
  if (status === 400 || status === 415) return 4000;
  if (status === 401 || status === 403) return 4030;
  if (status === 404 || status === 405) return 4040;
  return 5030;
}
