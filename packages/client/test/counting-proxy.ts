import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that went through the proxy, with the API's answer. */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly status: number;
}

/** An HTTP proxy in front of the API that records every request and its answer's status. */
export interface CountingProxy {
  /** e.g. `http://127.0.0.1:41234`: the client's base URL. */
  readonly url: string;
  readonly requests: ProxiedRequest[];
  stop(): Promise<void>;
}

/** Forwards to `target` unchanged (bodies streamed both ways), so the client talks to the real API. */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const requests: ProxiedRequest[] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        requests.push({
          method: req.method!,
          path: req.url!,
          headers: req.headers,
          status: answer.statusCode!,
        });
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
