import { freePort } from './free-port';
import type { RedisServer, RedisServerOptions } from './redis-server';

const INSTALL_HINT =
  'no redis-server found: install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) ' +
  'or set REDIS_URL to a Redis the tests may use';

/**
 * `startRedisServer` where no `redis-server` is installed: Redis in a `redis:7-alpine` container,
 * with the same settings as a local one. Its host port is bound to a free port chosen here, not
 * left to Docker, so that it stays the same across `restart()`, as the local server's does.
 * `crash()` SIGKILLs Redis and keeps the container, whose `/data` (and append-only file) the
 * next `restart()` finds. `freeze()` and `thaw()` need a local `redis-server`: Docker's pause
 * is asynchronous, and a test that freezes Redis must know it is frozen when the call returns.
 */
export async function startRedisContainer(options: RedisServerOptions): Promise<RedisServer> {
  if (options.dir !== undefined) {
    throw new Error(`a data folder (dir) needs a local redis-server: ${INSTALL_HINT}`);
  }
  const appendOnly = options.appendOnly ?? options.appendfsync !== undefined;
  const port = await freePort();
  // testcontainers is loaded here only, so that machines with redis-server never pay for it.
  const { GenericContainer, getContainerRuntimeClient } = await import('testcontainers');
  let container: import('testcontainers').StartedTestContainer;
  try {
    container = await new GenericContainer('redis:7-alpine')
      .withExposedPorts({ container: 6379, host: port })
      .withCommand([
        'redis-server',
        '--save',
        '',
        '--appendonly',
        appendOnly ? 'yes' : 'no',
        '--appendfsync',
        options.appendfsync ?? 'everysec',
      ])
      .start();
  } catch (error) {
    throw new Error(`${INSTALL_HINT} (no Docker either: ${(error as Error).message})`);
  }
  const url = `redis://${container.getHost()}:${port}`;
  return {
    url,
    target: { kind: 'server', url },
    port,
    owned: true,
    restart: async () => {
      await container.restart();
    },
    crash: async () => {
      const client = await getContainerRuntimeClient();
      await client.container.getById(container.getId()).kill({ signal: 'SIGKILL' });
    },
    freeze: () => {
      throw new Error('freeze() needs a local redis-server');
    },
    thaw: () => {
      throw new Error('thaw() needs a local redis-server');
    },
    stop: async () => {
      await container.stop();
    },
  };
}
