import { ARCHIVE_ID_FIELD, archiveStreamKeys } from '@sms/queue';

/** The archive stream's keys in the order `archiveHandOffLua` takes them: stream, limit, overflow. */
export function archiveHandOffKeys(prefix: string): [stream: string, limit: string, overflow: string] {
  const { stream, limit, overflow } = archiveStreamKeys(prefix);
  return [stream, limit, overflow];
}

/**
 * Lua that hands a message that just became final to the archiver: `XADD` of its id to the
 * archive stream, whose three keys (`archiveHandOffKeys`) are `KEYS[first]` on. Only while the
 * stream exists, which the archiver's start-up makes so: without an archiver no stream grows.
 * A full stream (as long as its limit key says) takes nothing and counts the refusal instead;
 * that record is not lost, it keeps its full Redis retention and is never archived.
 */
export function archiveHandOffLua(first: number, idExpression: string): string {
  return `
if redis.call('EXISTS', KEYS[${first}]) == 1 then
  local limit = tonumber(redis.call('GET', KEYS[${first + 1}]))
  if limit and redis.call('XLEN', KEYS[${first}]) >= limit then
    redis.call('INCR', KEYS[${first + 2}])
  else
    redis.call('XADD', KEYS[${first}], '*', '${ARCHIVE_ID_FIELD}', ${idExpression})
  end
end
`;
}
