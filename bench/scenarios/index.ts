import type { Scenario } from '../scenario';
import { acceptThroughput } from './accept-throughput';
import { archiveHandOff } from './archive-hand-off';
import { archiveLookups } from './archive-lookups';
import { deadLetterPages } from './dead-letter-pages';
import { deliveryThroughput } from './delivery-throughput';
import { endToEndLatency } from './end-to-end-latency';
import { kannelPeer } from './kannel-peer';
import { outageRecovery } from './outage-recovery';
import { priorityUnderBacklog } from './priority-under-backlog';
import { redisMemory } from './redis-memory';
import { simulatorCapacity } from './simulator-capacity';
import { tracingCost } from './tracing-cost';

/** Every scenario, in the order they run (capacity reuses the delivery figure when it ran). */
export const SCENARIOS: readonly Scenario[] = [
  acceptThroughput,
  deliveryThroughput,
  endToEndLatency,
  redisMemory,
  outageRecovery,
  simulatorCapacity,
  kannelPeer,
  priorityUnderBacklog,
  deadLetterPages,
  archiveLookups,
  archiveHandOff,
  tracingCost,
];
