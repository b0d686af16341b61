import calculateSlot from 'cluster-key-slot';
import type { Redis } from 'ioredis';
import { NotReplicatedError } from './not-replicated-error';
import { isCluster } from './ping-redis';
import type { RedisConnection } from './redis-connections';

export interface ReplicaAcknowledgementSettings {
  /** Replicas that must hold a write before it counts as made (Redis WAIT's numreplicas). */
  readonly replicas: number;
  /** How long WAIT may block, in ms; 0 is refused, as WAIT would then block for ever. */
  readonly timeoutMs: number;
  /** The gateway's key prefix, to find the Cluster node that holds its slot. */
  readonly keyPrefix: string;
}

/**
 * Makes writes wait for replicas: `around(write)` runs the write, then Redis WAIT on the same
 * connection, and rejects with `NotReplicatedError` unless enough replicas confirmed. Redis
 * replication is asynchronous, so without this a failover can lose what the primary had
 * acknowledged (https://redis.io/docs/latest/commands/wait/).
 *
 * - WAIT counts the replicas that reached the offset of the *connection's* last write, so it must
 *   follow the write on the very connection (on a Cluster, the node holding the gateway's slot).
 *   A connection that closed in between may have been replaced, whose WAIT would confirm
 *   nothing: that counts as not confirmed.
 * - WAIT blocks its connection for up to a replica round trip, so callers whose writes finished
 *   together share one WAIT. Give this its own connection: commands queued behind a WAIT wait
 *   too, up to `timeoutMs` while the replicas are away.
 */
export class ReplicaAcknowledgement {
  private readonly pending = new Map<Redis, Promise<number>>();
  private readonly closes = new WeakMap<Redis, { count: number }>();

  constructor(
    private readonly connection: RedisConnection,
    private readonly settings: ReplicaAcknowledgementSettings,
  ) {
    if (settings.timeoutMs <= 0) throw new RangeError('timeoutMs must be positive');
  }

  async around<T>(write: () => Promise<T>): Promise<T> {
    const { replicas } = this.settings;
    const node = this.nodeOfSlot();
    const closes = this.closesOf(node);
    const closesBefore = closes.count;
    const result = await write();
    const acknowledged = await this.waitOn(node);
    if (closes.count !== closesBefore || this.nodeOfSlot() !== node) {
      throw new NotReplicatedError(
        0,
        replicas,
        'the connection to Redis changed before its replicas confirmed',
      );
    }
    if (acknowledged < replicas) throw new NotReplicatedError(acknowledged, replicas);
    return result;
  }

  // Callers arriving in the same tick share the WAIT sent after that tick; a caller arriving
  // after it was sent gets the next one, since its write may have come after it.
  private waitOn(node: Redis): Promise<number> {
    let shared = this.pending.get(node);
    if (shared === undefined) {
      shared = Promise.resolve().then(() => {
        this.pending.delete(node);
        return node.wait(this.settings.replicas, this.settings.timeoutMs);
      });
      this.pending.set(node, shared);
    }
    return shared;
  }

  private nodeOfSlot(): Redis {
    if (!isCluster(this.connection)) return this.connection;
    const owner = this.connection.slots[calculateSlot(this.settings.keyPrefix)]?.[0];
    const node = this.connection
      .nodes('master')
      .find(({ options }) => `${options.host}:${options.port}` === owner);
    if (node === undefined) throw new Error(`no Redis Cluster primary known for ${this.settings.keyPrefix}`);
    return node;
  }

  private closesOf(node: Redis): { count: number } {
    let closes = this.closes.get(node);
    if (closes === undefined) {
      const counter = { count: 0 };
      node.on('close', () => {
        counter.count += 1;
      });
      this.closes.set(node, counter);
      closes = counter;
    }
    return closes;
  }
}
