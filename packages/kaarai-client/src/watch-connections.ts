import { ClientRequest, Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';

// A request is written to its socket only once the connection is established (TCP connected,
// and for https the TLS handshake done); until then Node buffers it. So a call that failed on a
// socket that never got that far cannot have reached Kaarai, whatever its error code says: a
// connect timeout and a response timeout are both ECONNABORTED to axios. Watched per connection,
// not per request, so a kept-alive connection costs nothing more per message.
const established = new WeakMap<Duplex, boolean>();

function markEstablished(this: Duplex): void {
  established.set(this, true);
}

function watch(socket: Duplex | null | undefined, event: 'connect' | 'secureConnect'): void {
  if (!socket) return;
  established.set(socket, false);
  socket.once(event, markEstablished);
}

/** An `http.Agent` that records whether each connection it opens was established. */
export class WatchedHttpAgent extends HttpAgent {
  override createConnection(...args: Parameters<HttpAgent['createConnection']>) {
    const socket = super.createConnection(...args);
    watch(socket, 'connect');
    return socket;
  }
}

/** An `https.Agent` that records whether each connection it opens finished its TLS handshake. */
export class WatchedHttpsAgent extends HttpsAgent {
  override createConnection(...args: Parameters<HttpsAgent['createConnection']>) {
    const socket = super.createConnection(...args);
    watch(socket, 'secureConnect');
    return socket;
  }
}

/**
 * Whether a failed request had an established connection, and so may have been written to
 * Kaarai. False only when that is known not to be so: the request waited for a free socket, or
 * its socket, opened by a watched agent, never got established. Anything else, such as a socket
 * another agent opened, counts as connected, so that a doubt is never reported as a certainty.
 */
export function wasConnected(request: unknown): boolean {
  if (!(request instanceof ClientRequest)) return true;
  // Typed as always present, `socket` is null until the agent hands the request a connection.
  const socket: Duplex | null = request.socket;
  if (!socket) return false;
  return established.get(socket) !== false;
}
