import { z } from 'zod';
import { envInt } from './env-types';
import { sharedConfigShape } from './shared-config';

/** What `services/admin-cli` reads: where the queues are, and what a replayed message gets. */
export const adminCliConfigSchema = z.object({
  REDIS_URL: sharedConfigShape.REDIS_URL,
  QUEUE_PREFIX: sharedConfigShape.QUEUE_PREFIX,
  SEND_ATTEMPTS: envInt(1, 100)
    .default(8)
    .describe(
      'Attempts a replayed message gets to reach Kaarai before it ends as failed again; keep it equal to the API. Default 8.',
    ),
});

export type AdminCliConfig = z.infer<typeof adminCliConfigSchema>;
