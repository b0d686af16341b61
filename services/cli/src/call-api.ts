import type { ApiRequest } from './build-request';
import { type Answer, type Failure, readAnswer } from './read-answer';

/** The part of `fetch` the command line uses; tests pass their own. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Makes one request and reads its answer, both within `timeoutMs`. Every way of getting no
 * answer (refused connection, unknown host, reset, timeout) is a failure with outcome `retry`.
 */
export async function callApi(request: ApiRequest, timeoutMs: number, fetchApi: Fetch): Promise<Answer> {
  try {
    const response = await fetchApi(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined && { body: request.body }),
      // The timeout covers reading the body too: an API that stalls mid-answer counts as no answer.
      signal: AbortSignal.timeout(timeoutMs),
      // The API never redirects: a redirect means a wrong --url, and following it could resend a POST.
      redirect: 'manual',
    });
    const text = await response.text();
    return readAnswer({ status: response.status, headers: response.headers, text });
  } catch (error) {
    return { ok: false, failure: noAnswer(error, request.url, timeoutMs) };
  }
}

/** Why there was no answer, from what `fetch` threw: undici puts the system error in `cause`. */
export function noAnswer(error: unknown, url: string, timeoutMs: number): Failure {
  const { origin } = new URL(url);
  const { name, message, cause } = error as { name?: string; message?: string; cause?: { message?: string } };
  if (name === 'TimeoutError') {
    return { outcome: 'retry', message: `no answer from ${origin} within ${timeoutMs / 1000} s` };
  }
  return {
    outcome: 'retry',
    message: `cannot reach ${origin}: ${cause?.message ?? message ?? String(error)}`,
  };
}
