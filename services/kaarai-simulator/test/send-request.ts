import { type Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface SendOptions {
  /** A string is sent as is; anything else as JSON. @defaultValue a valid message */
  readonly body?: unknown;
  /** @defaultValue 'POST' */
  readonly method?: string;
  /** `null` sends no Content-Type. @defaultValue 'application/json' */
  readonly contentType?: string | null;
  /** `null` sends no Authorization. @defaultValue gateway / secret */
  readonly auth?: { readonly user: string; readonly password: string } | null;
  /** CA to trust for HTTPS. */
  readonly ca?: string;
  /** TLS server name to check, when it differs from the URL's host. */
  readonly servername?: string;
  /** Give up after this many milliseconds without progress. */
  readonly timeoutMs?: number;
  /** Aborts the request when signalled. */
  readonly signal?: AbortSignal;
  /** @defaultValue a new connection per request */
  readonly agent?: Agent | false;
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export const VALID_MESSAGE = { to: '573001234567', text: 'Your code is 1234', from: '8123' };

/** One request with Node's own client, so that the test sees exactly what went over the wire. */
export function sendRequest(url: string, options: SendOptions = {}): Promise<RawAnswer> {
  const {
    method = 'POST',
    contentType = 'application/json',
    auth = { user: 'gateway', password: 'secret' },
  } = options;
  const body = options.body === undefined ? JSON.stringify(VALID_MESSAGE) : options.body;
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string | number> = {};
  if (contentType !== null) headers['content-type'] = contentType;
  if (auth !== null)
    headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  if (method !== 'GET') headers['content-length'] = Buffer.byteLength(payload);
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;

  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method,
        headers,
        ca: options.ca,
        servername: options.servername,
        agent: options.agent ?? false,
        signal: options.signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    if (options.timeoutMs !== undefined) {
      outgoing.setTimeout(options.timeoutMs, () =>
        outgoing.destroy(Object.assign(new Error('client gave up waiting'), { code: 'CLIENT_TIMEOUT' })),
      );
    }
    outgoing.end(method === 'GET' ? undefined : payload);
  });
}

/** The error a request failed with, or a failure if it did not fail. */
export async function requestError(promise: Promise<unknown>): Promise<NodeJS.ErrnoException> {
  try {
    await promise;
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
  throw new Error('the request succeeded but was expected to fail');
}
