import type { RedisConnection } from './redis-connections';

export interface ConnectionChangeLogger {
  error(details: object, message: string): void;
  info(message: string): void;
}

/**
 * Logs Redis going away and coming back, one line per change: ioredis reports every failed
 * reconnection as an `error`, several a second while Redis is away. An error on `connection` or
 * on any of `alongside` (other connections of the same process to the same Redis) marks Redis
 * lost; `connection` being ready again marks it restored, for all of them. The listeners also
 * keep an `error` event from ending the process, as an unlistened one would.
 */
export function logConnectionChanges(
  logger: ConnectionChangeLogger,
  connection: RedisConnection,
  alongside: readonly RedisConnection[] = [],
): void {
  let lost = false;
  const onError = (err: Error) => {
    if (!lost) logger.error({ err }, 'redis connection lost');
    lost = true;
  };
  for (const each of [connection, ...alongside]) each.on('error', onError);
  connection.on('ready', () => {
    if (lost) logger.info('redis connection restored');
    lost = false;
  });
}
