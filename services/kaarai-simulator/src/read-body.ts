import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body to its end, keeping at most `limit` bytes, and hands it over as UTF-8
 * text. Nothing is handed over if the client goes away first: there is no one left to answer.
 */
export function readBody(
  request: IncomingMessage,
  limit: number,
  done: (body: string, tooLarge: boolean) => void,
): void {
  const chunks: Buffer[] = [];
  let length = 0;
  let tooLarge = false;
  request.on('data', (chunk: Buffer) => {
    length += chunk.length;
    if (length > limit) tooLarge = true;
    else chunks.push(chunk);
  });
  request.on('end', () => done(tooLarge ? '' : Buffer.concat(chunks, length).toString('utf8'), tooLarge));
}

/** The path of a request target, without its query string. */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
