import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';

export interface HttpServerLimits {
  /** Longest a client may take to send a whole request, headers and body, in ms (REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs: number;
  /** Longest a client may take to send a request's headers, in ms; at most `requestTimeoutMs` (HEADERS_TIMEOUT_MS). */
  readonly headersTimeoutMs: number;
  /** Most connections open at once; one more is closed as soon as it is accepted (MAX_CONNECTIONS). */
  readonly maxConnections: number;
}

export interface HttpServer {
  /** Not yet listening: `main.ts` calls `listen`. */
  readonly server: Server;
  /**
   * Stops taking connections and lets the requests in flight finish. Idle connections are closed
   * at once; every request answered from now on, in flight or arriving on an open keep-alive
   * connection, is answered with `Connection: close`, so its connection closes after it. Resolves
   * once every connection is closed; those still open after `graceMs` are cut, and their
   * unanswered requests counted in `cutOff`.
   */
  close(graceMs: number): Promise<{ readonly cutOff: number }>;
}

// Node checks both timeouts only this often (every 30 s by default), so that a 5 s headers
// timeout could otherwise act after 35 s.
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

// Longer than the 60 s idle timeout of common load balancers (AWS ALB, GCP), so that they, not
// the API, close an idle connection: a request they send on one the API has just closed fails.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** The API's HTTP server around `app`, with its limits against slow and numerous clients. */
export function createHttpServer(app: RequestListener, limits: HttpServerLimits): HttpServer {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, limits.headersTimeoutMs),
    },
    (req, res) => {
      // Before the app, which may answer at once (/healthz does).
      if (closing) res.setHeader('Connection', 'close');
      inFlight.add(res);
      res.once('close', () => inFlight.delete(res));
      app(req, res);
    },
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = limits.maxConnections;

  let closed: Promise<{ readonly cutOff: number }> | undefined;
  const close = (graceMs: number) => {
    closed ??= new Promise((resolve) => {
      closing = true;
      for (const res of inFlight) {
        if (!res.headersSent) res.setHeader('Connection', 'close');
        // Its headers promised keep-alive: its connection is closed once idle, after the answer.
        else res.once('finish', () => server.closeIdleConnections());
      }
      let cutOff = 0;
      const force = setTimeout(() => {
        cutOff = inFlight.size;
        server.closeAllConnections();
      }, graceMs);
      // Also closes the connections idle now.
      server.close(() => {
        clearTimeout(force);
        resolve({ cutOff });
      });
    });
    return closed;
  };
  return { server, close };
}
