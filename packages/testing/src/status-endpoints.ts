import { type ServiceProcess, untilExit } from './spawn-service';
import { waitFor } from './wait-for';

/** What a test asks of a service process's status server. */
export interface StatusEndpoints {
  /** Resolves once the readiness path answers 200; rejects with the output if the process exits first. */
  ready(timeoutMs?: number): Promise<void>;
  /** The text of `/metrics` (see `metricValue`). */
  metrics(): Promise<string>;
}

/** The readiness wait and `/metrics` of `service`, whose status server is at `httpUrl`. */
export function statusEndpoints(
  service: ServiceProcess,
  options: { readonly name: string; readonly httpUrl: string; readonly readyPath: string },
): StatusEndpoints {
  const { name, httpUrl, readyPath } = options;
  return {
    ready: (timeoutMs = 30_000) =>
      untilExit(service, async (signal) => {
        await waitFor(async () => (await fetch(`${httpUrl}${readyPath}`, { signal })).ok, {
          timeoutMs,
          intervalMs: 100,
          description: `${name} ${service.pid} to be ready`,
          signal,
        });
      }),
    metrics: async () => (await fetch(`${httpUrl}/metrics`)).text(),
  };
}
