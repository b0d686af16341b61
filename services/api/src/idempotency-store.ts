import { createHash } from 'node:crypto';
import { type RedisConnection, RedisScript } from '@sms/queue';
import { uuidText } from './uuid-text';

/** What a key is remembered with: the message it created and the request that created it. */
export interface IdempotencyClaim {
  readonly id: string;
  readonly requestHash: string;
}

export interface IdempotencyStoreOptions {
  /** Key prefix shared with the queues: `redisKeyPrefix(QUEUE_PREFIX)` (`@sms/config`). */
  readonly prefix: string;
  /** How long a key is remembered after its first use, in seconds. */
  readonly ttlSeconds: number;
  /** @defaultValue `Date.now` */
  readonly now?: () => number;
}

// A key of its own per claim costs Redis some 250 bytes beyond what it holds (the key, its value
// object, its entry in the key space and in the expiry table): as much as a quarter of the job of
// the message it guards. Claims are kept instead as fields of shared hashes, one per client, time
// bucket (an hour, whatever the TTL, so that stores of any TTL find each other's claims) and
// shard (one of 256, by the key's hash): a hash of up to 128 short fields is a listpack, a few
// bytes beyond its fields, and a larger one costs a table entry per field. Each hash expires once
// the last claim it can hold is forgotten, so a claim stays in memory up to two hours more than
// the TTL; its own first use, kept in it, decides when it is forgotten.
const BUCKET_MS = 3_600_000;
const SHARDS = 256;

// Returns the claim the key already has (in a bucket hash, or under the key of its own that the
// API used before), or, with a claim to make, makes it in the current bucket and returns false:
// atomically, so that of two racing requests one claims and the other learns its claim.
//   KEYS[1]  the bucket hash after the current one (a replica whose clock is ahead writes there)
//   KEYS[2]  the current bucket hash, where a claim is made
//   KEYS[3..#KEYS-1]  the earlier bucket hashes that may hold claims not yet forgotten
//   KEYS[#KEYS]  the key of its own a claim had before
//   ARGV     the field (the key's hash), the claim to make ('' to only look), now and the TTL
//            (ms), and how long the current bucket's hash must live from now (ms): never less
//            than it would already
const LUA = `
local now = tonumber(ARGV[3])
for i = 1, #KEYS - 1 do
  local earlier = redis.call('HGET', KEYS[i], ARGV[1])
  if earlier and tonumber(string.match(earlier, '(%w+)$'), 36) + tonumber(ARGV[4]) > now then return earlier end
end
local earlier = redis.call('GET', KEYS[#KEYS])
if earlier then return earlier end
if ARGV[2] == '' then return false end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local left = redis.call('PTTL', KEYS[2])
if left < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
return false`;

const CLAIM = new RedisScript<readonly string[], readonly (string | number | Buffer)[], string | null>({
  name: 'smsIdempotencyClaim',
  lua: LUA,
  isReply: (raw): raw is string | null => raw === null || typeof raw === 'string',
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Idempotency keys in Redis, per client and key, each remembered `ttlSeconds` after its first
 * use. A claim is kept as "<id> <request hash> <first use>": the id's 16 bytes and the time (ms,
 * base 36) as text, 54 bytes, short enough for a listpack.
 */
export class IdempotencyStore {
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: IdempotencyStoreOptions,
  ) {
    this.ttlMs = options.ttlSeconds * 1000;
    this.now = options.now ?? Date.now;
  }

  /** The Redis key that holds the claim `claim` would make now. */
  key(client: string, idempotencyKey: string): string {
    const { shard } = hashOf(idempotencyKey);
    return this.bucketKey(client, Math.floor(this.now() / BUCKET_MS), shard);
  }

  /** Claims the key for `claim`; returns the earlier claim when there is one, leaving it as it was. */
  async claim(
    client: string,
    idempotencyKey: string,
    claim: IdempotencyClaim,
  ): Promise<IdempotencyClaim | undefined> {
    if (!UUID.test(claim.id)) throw new TypeError(`a claim's id must be a UUID, not ${claim.id}`);
    return this.run(client, idempotencyKey, claim);
  }

  /** The claim of a key, if it has one, leaving it as it is. */
  peek(client: string, idempotencyKey: string): Promise<IdempotencyClaim | undefined> {
    return this.run(client, idempotencyKey, undefined);
  }

  private async run(
    client: string,
    idempotencyKey: string,
    claim: IdempotencyClaim | undefined,
  ): Promise<IdempotencyClaim | undefined> {
    const now = this.now();
    const { field, shard, legacy } = hashOf(idempotencyKey);
    const current = Math.floor(now / BUCKET_MS);
    const keys: string[] = [];
    for (let bucket = current + 1; bucket >= Math.floor((now - this.ttlMs) / BUCKET_MS); bucket--)
      keys.push(this.bucketKey(client, bucket, shard));
    keys.push(`${this.options.prefix}:idem:${client}:${legacy}`);
    const value =
      claim === undefined
        ? ''
        : `${Buffer.from(claim.id.replaceAll('-', ''), 'hex').toString('base64url')} ${claim.requestHash} ${now.toString(36)}`;
    // The current bucket's hash lives until the last claim it can hold (made at the bucket's end)
    // is forgotten, and a bucket more, for the clocks of other replicas.
    const lifeMs = (current + 2) * BUCKET_MS + this.ttlMs - now;
    const earlier = await CLAIM.run(this.redis, keys, [field, value, now, this.ttlMs, lifeMs]);
    return earlier === null ? undefined : parseClaim(earlier);
  }

  private bucketKey(client: string, bucket: number, shard: string): string {
    return `${this.options.prefix}:idem:${client}:${bucket}:${shard}`;
  }
}

// The caller's key is hashed so that any printable string makes a short field, and picks its shard.
function hashOf(idempotencyKey: string) {
  const digest = createHash('sha256').update(idempotencyKey).digest();
  return {
    field: digest.subarray(0, 16),
    shard: (digest[16]! % SHARDS).toString(16),
    legacy: digest.toString('base64url'),
  };
}

// "<id> <request hash> <first use>" in a bucket, or "<id as UUID> <request hash>" in a key of its own.
function parseClaim(stored: string): IdempotencyClaim {
  const [id = '', requestHash = ''] = stored.split(' ');
  if (id.length === 36) return { id, requestHash };
  return { id: uuidText(Buffer.from(id, 'base64url')), requestHash };
}
