import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * Serves a registry in Prometheus' text format, after `beforeScrape` (if given) has refreshed
 * gauges that mirror shared state. Written against `node:http` so that both the
 * Express API and the worker's small status server can mount it.
 */
export function metricsHandler(registry: Registry, beforeScrape?: () => Promise<void>) {
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Metrics read from Redis (shared state) are refreshed per scrape; a failed read must not
    // cost the process metrics.
    await beforeScrape?.().catch(() => {});
    const body = await registry.metrics();
    res.statusCode = 200;
    res.setHeader('Content-Type', registry.contentType);
    res.end(body);
  };
}
