import { ARCHIVE_GROUP, archiveStreamKeys, type RedisConnection } from '@sms/queue';

/**
 * Removes from the archivers' group the consumers of processes long gone: each archiver process
 * joins under a name of its own, so every restart would otherwise leave one behind for good.
 * Only those with nothing pending (what they left was taken over) and idle past `idleMs`;
 * resolves with their names.
 */
export async function forgetIdleConsumers(
  redis: RedisConnection,
  prefix: string,
  idleMs: number,
): Promise<string[]> {
  const { stream } = archiveStreamKeys(prefix);
  const consumers = (await redis.call('XINFO', 'CONSUMERS', stream, ARCHIVE_GROUP)) as (string | number)[][];
  const forgotten: string[] = [];
  for (const fields of consumers) {
    const field = (name: string) => fields[fields.indexOf(name) + 1];
    const name = String(field('name'));
    if (Number(field('pending')) === 0 && Number(field('idle')) > idleMs) {
      await redis.call('XGROUP', 'DELCONSUMER', stream, ARCHIVE_GROUP, name);
      forgotten.push(name);
    }
  }
  return forgotten;
}
