import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { metricsHandler } from './metrics-handler';

export interface StatusServerDeps {
  readonly registry: Registry;
  /** Refreshes gauges that mirror shared state, before each scrape. */
  readonly beforeScrape?: () => Promise<void>;
  /** Resolves with details when the process can do its work; rejects with the reason otherwise. */
  readonly checkReady: () => Promise<Record<string, unknown>>;
  /** The paths of the liveness and readiness probes. @defaultValue `/healthz` and `/readyz` */
  readonly probePaths?: { readonly health: string; readonly ready: string };
}

/**
 * The small HTTP server of a worker or archiver, for Prometheus and Kubernetes probes
 * (`/metrics`, `/healthz`, `/readyz`). Plain `node:http`: it serves three fixed routes and must
 * stay out of the process's way.
 */
export function createStatusServer(deps: StatusServerDeps): Server {
  const metrics = metricsHandler(deps.registry, deps.beforeScrape);
  const probes = deps.probePaths ?? { health: '/healthz', ready: '/readyz' };
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  return createServer((req, res) => {
    const path = req.url?.split('?')[0];
    if (req.method !== 'GET') return json(res, 404, { code: 4040, message: 'Unknown request' });
    if (path === '/metrics') return void metrics(req, res);
    if (path === probes.health) return json(res, 200, { status: 'ok' });
    if (path === probes.ready) {
      return void deps.checkReady().then(
        (detail) => json(res, 200, { status: 'ready', ...detail }),
        (error: Error) => json(res, 503, { status: 'unavailable', reason: error.message }),
      );
    }
    json(res, 404, { code: 4040, message: 'Unknown request' });
  });
}

/** Resolves with the port once `server` listens; rejects when it cannot (the port is taken). */
export function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
