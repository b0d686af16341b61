import { z } from 'zod';
import { envInt } from './env-types';

/** Settings every gateway process shares. */
export const sharedConfigShape = {
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'must start with redis:// or rediss://' })
    .default('redis://127.0.0.1:6379')
    .describe('Redis holding the queues and status records. Default redis://127.0.0.1:6379.'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'must be letters, digits, _ or -' })
    .default('sms')
    .describe(
      'Prefix of every Redis key the gateway writes, so several gateways can share a Redis. Default sms.',
    ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
    .default('info')
    .describe('Log level: fatal, error, warn, info, debug or trace. Default info.'),
  SHUTDOWN_TIMEOUT_MS: envInt(0, 600_000)
    .default(15_000)
    .describe(
      'On SIGTERM, how long in-flight work may take before the process exits anyway, in ms. Default 15000.',
    ),
};
