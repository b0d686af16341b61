import { createServer, type RequestListener, type Server } from 'node:http';

export interface HttpServerLimits {
  /** Longest a client may take to send a whole request, headers and body, in ms (REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs: number;
  /** Longest a client may take to send a request's headers, in ms; at most `requestTimeoutMs` (HEADERS_TIMEOUT_MS). */
  readonly headersTimeoutMs: number;
  /** Most connections open at once; one more is closed as soon as it is accepted (MAX_CONNECTIONS). */
  readonly maxConnections: number;
}

// Node checks both timeouts only this often (every 30 s by default), so that a 5 s headers
// timeout could otherwise act after 35 s.
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

// Longer than the 60 s idle timeout of common load balancers (AWS ALB, GCP), so that they, not
// the API, close an idle connection: a request they send on one the API has just closed fails.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** The API's HTTP server around `app`, with its limits against slow and numerous clients; not yet listening. */
export function createHttpServer(app: RequestListener, limits: HttpServerLimits): Server {
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, limits.headersTimeoutMs),
    },
    app,
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = limits.maxConnections;
  return server;
}
