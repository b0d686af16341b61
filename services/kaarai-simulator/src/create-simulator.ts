import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { createAdminListener } from './admin-listener';
import { createKaaraiListener } from './kaarai-listener';
import { PendingWork } from './pending-work';
import { createSimulatorState, type SimulatorState, type SimulatorStateOptions } from './simulator-state';

export interface SimulatorOptions extends SimulatorStateOptions {
  /** Address every server listens on. @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** Port of the plain-HTTP send endpoint; 0 picks a free one. @defaultValue 0 */
  readonly port?: number;
  /** Port of the admin API; 0 picks a free one. @defaultValue 0 */
  readonly adminPort?: number;
  /** Also serve the send endpoint over HTTPS with this certificate (PEM). */
  readonly https?: { readonly port?: number; readonly cert: string; readonly key: string } | undefined;
  /** @defaultValue a silent logger */
  readonly logger?: Logger;
  /** Source of the random draws for fault rates and the queued share. @defaultValue Math.random */
  readonly random?: () => number;
  /** On close, milliseconds that answers waiting out their latency get before connections are cut. @defaultValue 1000 */
  readonly closeGraceMs?: number;
}

export interface SimulatorAddress {
  readonly httpPort: number;
  /** `undefined` when no HTTPS is served. */
  readonly httpsPort: number | undefined;
  readonly adminPort: number;
  /** URL of the send endpoint over HTTP. */
  readonly sendUrl: string;
  /** URL of the send endpoint over HTTPS, if served. */
  readonly httpsSendUrl: string | undefined;
  /** Base URL of the admin API, without a trailing slash. */
  readonly adminUrl: string;
}

export interface Simulator {
  /** The live state: record, stats, settings and faults. Tests may read it; the admin API changes it. */
  readonly state: SimulatorState;
  listen(): Promise<SimulatorAddress>;
  /**
   * Stops accepting connections, cuts requests held by the hang fault at once, lets delayed
   * answers finish for up to `closeGraceMs`, then cuts every connection that is left.
   */
  close(): Promise<void>;
}

/**
 * Longer than the idle timeout of common HTTP clients' keep-alive pools, so that a client never
 * reuses a connection at the moment the simulator closes it (Node's own default is 5 s).
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const state = createSimulatorState(options);
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? pino({ level: 'silent' });
  const pending = new PendingWork();
  const kaarai = createKaaraiListener({
    state,
    pending,
    logger,
    random: options.random ?? Math.random,
    newId: randomUUID,
  });

  const servers: { name: 'http' | 'https' | 'admin'; server: Server; port: number }[] = [
    { name: 'http', server: configure(createHttpServer(kaarai)), port: options.port ?? 0 },
    {
      name: 'admin',
      server: configure(createHttpServer(createAdminListener(state, logger))),
      port: options.adminPort ?? 0,
    },
  ];
  if (options.https !== undefined) {
    const { cert, key, port = 0 } = options.https;
    const server = configure(createHttpsServer({ cert, key }, kaarai) as unknown as Server);
    servers.push({ name: 'https', server, port });
  }

  return {
    state,
    async listen() {
      try {
        const ports = await Promise.all(servers.map(({ server, port }) => listenOn(server, port, host)));
        const portOf = (name: string) => ports[servers.findIndex((s) => s.name === name)];
        const base = urlHost(host);
        const httpPort = portOf('http')!;
        const httpsPort = portOf('https');
        const adminPort = portOf('admin')!;
        return {
          httpPort,
          httpsPort,
          adminPort,
          sendUrl: `http://${base}:${httpPort}${state.sendPath}`,
          httpsSendUrl: httpsPort === undefined ? undefined : `https://${base}:${httpsPort}${state.sendPath}`,
          adminUrl: `http://${base}:${adminPort}`,
        };
      } catch (error) {
        await Promise.all(servers.map(({ server }) => closeServer(server)));
        throw error;
      }
    },
    async close() {
      const closed = Promise.all(servers.map(({ server }) => closeServer(server)));
      for (const { server } of servers) server.closeIdleConnections();
      pending.destroyHeld();
      const cut = setTimeout(() => {
        pending.cancelDelayed();
        for (const { server } of servers) server.closeAllConnections();
      }, options.closeGraceMs ?? 1000);
      try {
        await closed;
      } finally {
        clearTimeout(cut);
        pending.cancelDelayed();
      }
    },
  };
}

function configure(server: Server): Server {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  return server;
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) resolve();
    else server.close(() => resolve());
  });
}

/** A host a client can connect to: a wildcard address is reached on the loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
