import type { RedisTarget } from '@sms/config';
import {
  type ConnectionChangeLogger,
  createProducerConnection,
  createWorkerConnection,
  logConnectionChanges,
  type RedisConnection,
} from '@sms/queue';

/** The worker process's five connections to Redis, each for what would otherwise slow another. */
export interface WorkerConnections {
  /** BullMQ's send worker blocks on its connection. */
  readonly sendWorker: RedisConnection;
  /** The callback worker's, for the same reason. */
  readonly callbackWorker: RedisConnection;
  /** Status records and the sending gate: the send path's writes. */
  readonly records: RedisConnection;
  /** The dead-letter and callback queues and the callback outboxes. */
  readonly queues: RedisConnection;
  /**
   * Fail-fast (a producer connection): the start-up wait, readiness, metrics and the write
   * probe, which must answer while Redis is away rather than wait for it.
   */
  readonly probe: RedisConnection;
}

/**
 * Opens the worker's connections. No auto-pipelining on `records`: measured, its pipeline per
 * tick cost the worker more CPU per message (419-481 µs) than it saved in writes (362-390 µs
 * without; BENCHMARKS.md). The queues get a connection of their own: BullMQ defines its ~50
 * scripts on the connection a queue uses, and ioredis copies every defined script onto each
 * MULTI made on it, which made the status store's and the gate's transactions (three per
 * message) a third of the worker's CPU time (pnpm bench --only delivery --profile). The dead-letter
 * and callback queues share one: both are added to now and then, and neither runs a MULTI.
 */
export function openWorkerConnections(
  target: RedisTarget,
  logger: ConnectionChangeLogger,
): WorkerConnections {
  const connections = {
    sendWorker: createWorkerConnection(target),
    callbackWorker: createWorkerConnection(target),
    records: createWorkerConnection(target),
    queues: createWorkerConnection(target),
    probe: createProducerConnection(target),
  };
  const { records, sendWorker, queues, callbackWorker, probe } = connections;
  logConnectionChanges(logger, records, [sendWorker, queues, callbackWorker]);
  // The probe's failures are answers (readiness, metrics), reported where they are asked for.
  probe.on('error', () => {});
  return connections;
}

/** Closes every connection: politely (QUIT) after a shutdown, at once after a failed start. */
export async function closeWorkerConnections(
  connections: WorkerConnections,
  how: 'quit' | 'disconnect',
): Promise<void> {
  const all = Object.values(connections);
  if (how === 'disconnect') {
    for (const each of all) each.disconnect();
    return;
  }
  await Promise.all(all.map((each) => each.quit().catch(() => {})));
}
