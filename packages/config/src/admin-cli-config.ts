import { z } from 'zod';
import { envInt } from './env-types';
import { redisTopologyProblems } from './redis-topology-problems';
import { redisConfigShape, sharedConfigShape } from './shared-config';

/** What `services/admin-cli` reads: where the queues are, and what a replayed message gets. */
export const adminCliConfigSchema = z
  .object({
    ...redisConfigShape,
    QUEUE_PREFIX: sharedConfigShape.QUEUE_PREFIX,
    SEND_ATTEMPTS: envInt(1, 100)
      .default(8)
      .describe(
        'Attempts a replayed message gets to reach Kaarai before it ends as failed again; keep it equal to the API. Default 8.',
      ),
  })
  // `when` runs the check even when another variable is invalid, so one error lists all.
  .superRefine(
    (config, ctx) => {
      for (const [key, message] of redisTopologyProblems(config))
        ctx.addIssue({ code: 'custom', path: [key], message });
    },
    { when: () => true },
  );

export type AdminCliConfig = z.infer<typeof adminCliConfigSchema>;
