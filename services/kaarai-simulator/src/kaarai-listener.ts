import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SimulatorBodyStyle } from '@sms/config';
import { KAARAI_CODES, type KaaraiCode, maskNumber } from '@sms/contracts';
import type { Logger } from 'pino';
import { type AnswerContext, answerKaaraiRequest } from './answer-kaarai-request';
import { formatAnswer } from './format-answer';
import type { PendingWork } from './pending-work';
import { pathOf, readBody } from './read-body';
import type { SimulatorState } from './simulator-state';

/** Far above any SMS; a bigger body is answered 4000 without being parsed. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface KaaraiListenerDeps {
  readonly state: SimulatorState;
  readonly pending: PendingWork;
  readonly logger: Logger;
  readonly random: AnswerContext['random'];
  readonly newId: AnswerContext['newId'];
}

/** The request listener of the Kaarai ports (HTTP and HTTPS share it, and the state). */
export function createKaaraiListener(deps: KaaraiListenerDeps): RequestListener {
  const { state, pending, logger, random, newId } = deps;
  return (request, response) => {
    readBody(request, MAX_BODY_BYTES, (body, bodyTooLarge) => {
      try {
        const outcome = answerKaaraiRequest(
          state,
          {
            method: request.method ?? '',
            path: pathOf(request.url),
            contentType: request.headers['content-type'],
            authorization: request.headers.authorization,
            body,
            bodyTooLarge,
          },
          { now: new Date(), random, newId },
        );
        if (logger.isLevelEnabled('debug')) logRequest(logger, request, body, outcome);
        if (outcome.kind === 'hang') pending.hold(response);
        else if (outcome.kind === 'reset') pending.later(outcome.delayMs, () => reset(request.socket));
        else {
          const style = state.settings.bodyStyle;
          pending.later(outcome.delayMs, () => answer(response, style, outcome.code, outcome.message));
        }
      } catch (error) {
        logger.error(
          { err: error, method: request.method, url: request.url },
          'request failed in the simulator',
        );
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'simulator_error' }));
      }
    });
  };
}

function answer(
  response: ServerResponse,
  style: SimulatorBodyStyle,
  code: KaaraiCode,
  message: string,
): void {
  if (response.destroyed) return;
  const { body, contentType } = formatAnswer(style, code, message);
  const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(body) };
  if (contentType !== undefined) headers['content-type'] = contentType;
  response.writeHead(KAARAI_CODES[code].httpStatus, headers).end(body);
}

/**
 * An RST rather than a FIN, as when a load balancer or the network drops a connection. Only
 * plain TCP sockets can send one; a TLS socket is closed normally.
 */
function reset(socket: Socket): void {
  if (socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

function logRequest(
  logger: Logger,
  request: IncomingMessage,
  body: string,
  outcome: ReturnType<typeof answerKaaraiRequest>,
): void {
  let to: string | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'to' in parsed && typeof parsed.to === 'string') {
      to = maskNumber(parsed.to);
    }
  } catch {
    // Not JSON: the outcome already says so.
  }
  logger.debug({ method: request.method, url: request.url, to, outcome }, 'kaarai request');
}
