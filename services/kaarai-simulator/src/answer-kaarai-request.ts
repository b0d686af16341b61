import { KAARAI_CODES, type KaaraiCode } from '@sms/contracts';
import { checkSendRequest, type SendRequest } from './check-send-request';
import { decideFault, type Fault } from './decide-fault';
import type { SimulatorState } from './simulator-state';

export interface KaaraiRequest extends SendRequest {
  readonly method: string;
  /** The request path without its query string. */
  readonly path: string;
}

/**
 * What to do with the connection, after `delayMs`:
 * - `answer`: send `code` with `message` (and the HTTP status of the code);
 * - `reset`: reset the connection without an answer;
 * - `hang`: nothing, ever.
 */
export type KaaraiOutcome =
  | { readonly kind: 'answer'; readonly code: KaaraiCode; readonly message: string; readonly delayMs: number }
  | { readonly kind: 'reset'; readonly delayMs: number }
  | { readonly kind: 'hang' };

export interface AnswerContext {
  readonly now: Date;
  /** A number in [0, 1), as `Math.random` gives. */
  readonly random: () => number;
  /** Id for a newly recorded message. */
  readonly newId: () => string;
}

/**
 * Answers one request on a Kaarai port as a function of the simulator state, updating the
 * state: fault counters, the record of accepted messages and the stats. Faults apply to every
 * POST on the send path, before its content type, credentials or body are looked at.
 */
export function answerKaaraiRequest(
  state: SimulatorState,
  request: KaaraiRequest,
  context: AnswerContext,
): KaaraiOutcome {
  const { stats } = state;
  stats.countRequest();
  if (request.method !== 'POST' || request.path !== state.sendPath) {
    stats.countAnswer(4040);
    return { kind: 'answer', code: 4040, message: KAARAI_CODES[4040].text, delayMs: 0 };
  }

  const decision = decideFault(state.faults, context.now.getTime(), context.random);
  state.faults = decision.faults;
  const delayMs = decision.faults.latencyMs;
  const fault: Fault | undefined = decision.fault;
  if (fault === 'hang') {
    stats.countHang();
    return { kind: 'hang' };
  }
  if (fault === 'drop') {
    stats.countDrop();
    return { kind: 'reset', delayMs };
  }
  const answer = fault === 'outage' || fault === 'fail' ? failure() : processSend(state, request, context);
  if (fault === 'lose-answer') {
    stats.countLostAnswer();
    return { kind: 'reset', delayMs };
  }
  stats.countAnswer(answer.code);
  return { kind: 'answer', ...answer, delayMs };
}

function failure() {
  return { code: 5030, message: KAARAI_CODES[5030].text } as const;
}

function processSend(
  state: SimulatorState,
  request: SendRequest,
  context: AnswerContext,
): { code: KaaraiCode; message: string } {
  const check = checkSendRequest(state.settings, request);
  if (!check.ok) return { code: check.code, message: check.message };
  const { queuedShare } = state.settings;
  const code = queuedShare > 0 && context.random() < queuedShare ? 2021 : 2020;
  state.record.add({
    id: context.newId(),
    ...check.sms,
    code,
    receivedAt: context.now.toISOString(),
    authUser: check.user,
  });
  return { code, message: KAARAI_CODES[code].text };
}
