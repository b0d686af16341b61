import type { StatusEvents } from '@sms/callbacks';
import type { KaaraiOutcome, SmsToSend } from '@sms/kaarai-client';
import type { WorkerMetrics } from '@sms/metrics';
import type { DeadLetterQueue } from '@sms/queue';
import type { StatusStore } from '@sms/status-store';
import type { Tracer } from '@sms/tracing';
import type { Logger } from 'pino';
import type { RedisWriteHealth } from './redis-write-health';
import type { SendingGate } from './sending-gate';

/** What the send processor works with (`createProcessor`). */
export interface ProcessorDeps {
  readonly kaarai: { send(sms: SmsToSend): Promise<KaaraiOutcome> };
  readonly statusStore: StatusStore;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly gate: SendingGate;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
  /** Stops every worker of the queue from taking jobs for this long (BullMQ's rate limit). */
  readonly pauseSending: (ms: number) => Promise<void>;
  /** After a configuration fault, how long sending pauses before the next probe, in ms. */
  readonly holdProbeIntervalMs: number;
  /** Where a job reports Redis refusing its writes, and waits until Redis takes them again. */
  readonly writeHealth: Pick<RedisWriteHealth, 'report' | 'untilWritable'>;
  /** Where each status change a client's receiver is told of goes; it never throws. @defaultValue none */
  readonly statusEvents?: StatusEvents;
  readonly now?: () => number;
  /** Records each attempt and its call to Kaarai as spans (`startTracing`). @defaultValue none: no spans */
  readonly tracer?: Tracer;
}
