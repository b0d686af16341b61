import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { DELIVERY_ATTEMPT_BUCKETS, DELIVERY_LATENCY_BUCKETS, PROVIDER_CALL_BUCKETS } from './buckets';
import { callbackEnqueueFailures } from './callback-enqueue-failures';
import { createQueueStateMetrics } from './queue-state-metrics';
import { createRedisHealthMetrics } from './redis-health-metrics';

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** A worker process's registry: its own metrics plus Node's default process metrics. */
export function createWorkerMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    queueState: createQueueStateMetrics(registry),
    deliveryLatency: new Histogram({
      name: 'sms_delivery_latency_seconds',
      help: "Time from the API's acceptance of a message to Kaarai's accepting answer.",
      buckets: DELIVERY_LATENCY_BUCKETS,
      registers: [registry],
    }),
    deliveryAttempts: new Histogram({
      name: 'sms_delivery_attempts',
      help: 'Attempts it took to deliver a message, counted when Kaarai accepts it.',
      buckets: DELIVERY_ATTEMPT_BUCKETS,
      registers: [registry],
    }),
    providerAnswers: new Counter({
      name: 'sms_provider_answers_total',
      help: "Kaarai's answers by code (0 when no answer arrived) and what the gateway did.",
      labelNames: ['code', 'outcome'] as const,
      registers: [registry],
    }),
    providerDuration: new Histogram({
      name: 'sms_provider_call_duration_seconds',
      help: 'Duration of calls to Kaarai, answered or not.',
      buckets: PROVIDER_CALL_BUCKETS,
      registers: [registry],
    }),
    sent: new Counter({
      name: 'sms_messages_sent_total',
      help: 'Messages Kaarai accepted, by code (2020 accepted, 2021 queued).',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    retried: new Counter({
      name: 'sms_messages_retried_total',
      help: 'Send attempts that will be tried again, by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'sms_messages_dead_lettered_total',
      help: 'Messages put in the dead-letter queue, by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    unknownOutcomes: new Counter({
      name: 'sms_provider_unknown_outcomes_total',
      help: 'Calls to Kaarai without an answer that may have reached it: timed out or cut off on an established connection (TCP, and TLS for https) after the request was written, so Kaarai may have the message and a retry may duplicate it. Calls that never connected (refused, unreachable, connect or TLS handshake timeout) are not counted.',
      registers: [registry],
    }),
    unknown: new Counter({
      name: 'sms_messages_unknown_total',
      help: 'at-most-once messages ended unknown rather than risk a second send, by reason: why no answer came (timeout, connection_dropped), or worker_lost when a worker stopped between admitting a call and recording its outcome. Kaarai may or may not have each.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    expired: new Counter({
      name: 'sms_messages_expired_total',
      help: 'Messages whose validity ended before Kaarai took them; they were never sent.',
      registers: [registry],
    }),
    callbacks: new Counter({
      name: 'sms_callbacks_total',
      help: "Status callback posts by outcome (delivered, failed: will be retried, given_up: attempts spent, refused: host no longer allowed or no secret), the receiver's status class (2xx..5xx, none without an answer) and client.",
      labelNames: ['outcome', 'status_class', 'client'] as const,
      registers: [registry],
    }),
    callbackEnqueueFailures: callbackEnqueueFailures(registry),
    redis: createRedisHealthMetrics(registry, 'worker'),
    held: new Gauge({
      name: 'sms_sending_held',
      help: '1 while sending is held on every worker because Kaarai reports a configuration fault.',
      registers: [registry],
    }),
    circuitOpen: new Gauge({
      name: 'sms_circuit_open',
      help: '1 while the circuit to Kaarai is open (most recent calls failed) on every worker.',
      registers: [registry],
    }),
    redisRefusingWrites: new Gauge({
      name: 'sms_redis_refusing_writes',
      help: "1 while Redis refuses this worker's writes (maxmemory, a full disk, a replica) and it takes no jobs.",
      registers: [registry],
    }),
  };
}
