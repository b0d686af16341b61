import type { RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { type AdminResponse, handleAdminRequest } from './handle-admin-request';
import { readBody } from './read-body';
import type { SimulatorState } from './simulator-state';

const MAX_BODY_BYTES = 64 * 1024;

/** The request listener of the admin port. */
export function createAdminListener(state: SimulatorState, logger: Logger): RequestListener {
  return (request, response) => {
    readBody(request, MAX_BODY_BYTES, (body, tooLarge) => {
      try {
        const url = new URL(request.url ?? '/', 'http://admin.invalid');
        const answer = tooLarge
          ? {
              status: 413,
              body: { error: 'payload_too_large', message: `bodies are limited to ${MAX_BODY_BYTES} bytes` },
            }
          : handleAdminRequest(state, {
              method: request.method ?? '',
              path: url.pathname,
              query: url.searchParams,
              body,
            });
        if (request.method !== 'GET')
          logger.info({ method: request.method, url: request.url, status: answer.status }, 'admin');
        send(response, answer);
      } catch (error) {
        logger.error({ err: error, method: request.method, url: request.url }, 'admin request failed');
        send(response, { status: 500, body: { error: 'simulator_error' } });
      }
    });
  };
}

function send(response: ServerResponse, answer: AdminResponse): void {
  if (answer.body === undefined) {
    response.writeHead(answer.status).end();
    return;
  }
  const body = JSON.stringify(answer.body);
  response
    .writeHead(answer.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    })
    .end(body);
}
