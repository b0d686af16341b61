import { primariesOf } from './ping-redis';
import type { RedisConnection } from './redis-connections';

/** One primary's value of a setting; `undefined` when CONFIG is refused (managed services). */
export interface PrimaryConfig {
  readonly node: string;
  readonly value: string | undefined;
}

/**
 * `CONFIG GET name` on every server that takes writes: each primary of a Cluster, since the
 * gateway's slot may move to any of them; the current primary otherwise.
 */
export async function readPrimariesConfig(
  connection: RedisConnection,
  name: string,
): Promise<PrimaryConfig[]> {
  return Promise.all(
    primariesOf(connection).map(async (node) => {
      const where = `${node.options.host}:${node.options.port}`;
      try {
        const reply = (await node.config('GET', name)) as string[];
        return { node: where, value: reply[1] };
      } catch {
        return { node: where, value: undefined };
      }
    }),
  );
}
