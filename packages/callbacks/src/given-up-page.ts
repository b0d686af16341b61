import { LUA_BYTE_ORDER, RedisScript } from '@sms/queue';

/** Where a listing continues: the sort key of the last callback shown. */
export interface GivenUpCursor {
  readonly givenUpAt: number;
  readonly id: string;
}

export function encodeGivenUpCursor(position: GivenUpCursor): string {
  return Buffer.from(`${position.givenUpAt}:${position.id}`).toString('base64url');
}

/** The position a cursor names, or undefined when the text is not a cursor. */
export function decodeGivenUpCursor(cursor: string): GivenUpCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  const match = /^(\d{1,15}):(.+)$/s.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) return undefined;
  return { givenUpAt: Number(match[1]), id: match[2]! };
}

// One page of an index, newest first (members of one millisecond by id, last first, in byte
// order as a sorted set keeps them), after the cursor, in one call: O(log n + page) plus the
// members of the cursor's own millisecond.
//   KEYS  the index
//   ARGV  limit, since ('-inf' or ms), until ('+inf' or '(ms'), the cursor's ms ('' for none), its id
// Returns the total the filter selects, then id and score of up to limit + 1 members.
export const GIVEN_UP_PAGE = new RedisScript<[index: string], string[], unknown[]>({
  name: 'smsGivenUpCallbackPage',
  isReply: Array.isArray,
  lua: `${LUA_BYTE_ORDER}
local set, want = KEYS[1], tonumber(ARGV[1]) + 1
local since, upper = ARGV[2], ARGV[3]
local reply = { redis.call('ZCOUNT', set, since, upper) }
if ARGV[4] ~= '' then
  local at, id = ARGV[4], ARGV[5]
  local score = tonumber(at)
  local below = upper == '+inf' or score < tonumber(string.sub(upper, 2))
  if below and (since == '-inf' or score >= tonumber(since)) then
    local same = redis.call('ZRANGEBYSCORE', set, at, at)
    for i = #same, 1, -1 do
      if (#reply - 1) / 2 >= want then break end
      if before(same[i], id) then
        reply[#reply + 1] = same[i]
        reply[#reply + 1] = at
      end
    end
  end
  if below then upper = '(' .. at end
end
local left = want - (#reply - 1) / 2
if left > 0 then
  for _, value in ipairs(redis.call('ZREVRANGEBYSCORE', set, upper, since, 'WITHSCORES', 'LIMIT', 0, left)) do
    reply[#reply + 1] = value
  end
end
return reply`,
});
