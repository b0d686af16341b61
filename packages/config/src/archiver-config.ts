import { z } from 'zod';
import { envSchema } from './env-schema';
import { envInt, envIntOr, envListenHost, envPort } from './env-types';
import { redisTopologyProblems } from './redis-topology-problems';
import { sharedConfigShape } from './shared-config';

const databaseUrlShape = {
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'must start with postgres:// or postgresql://' })
    .describe(
      'Required. The PostgreSQL that archives final status records, as postgres://[user:password@]host:port/database. Secret: use DATABASE_URL_FILE.',
    ),
};

/** What the archive's migration reads: the database alone (`archiver/dist/migrate-main.js`). */
export const archiveMigrationConfigSchema = z.object(databaseUrlShape);

export const archiverConfigSchema = envSchema(
  {
    ...sharedConfigShape,
    ...databaseUrlShape,
    STATUS_HOT_SECONDS: envInt(1, 31_536_000)
      .default(3_600)
      .describe(
        'How long Redis keeps a final status record after it became final, once it is archived, in seconds; look-ups within it never reach PostgreSQL. Default 3600.',
      ),
    ARCHIVE_BATCH_SIZE: envIntOr(1, 5_000, 500).describe(
      'Final messages archived per batch: one PostgreSQL transaction and one Redis clean-up each. Default 500.',
    ),
    ARCHIVE_CLAIM_IDLE_MS: envIntOr(1_000, 3_600_000, 60_000).describe(
      'How long a batch taken by an archiver may stay unfinished before another archiver takes it over (the first one died), in ms. Default 60000.',
    ),
    ARCHIVE_BACKLOG_LIMIT: envIntOr(1, 1_000_000_000, 5_000_000).describe(
      'Most final messages waiting to be archived; past it, a final record is not queued for the archive but keeps its full Redis retention (sms_archive_overflowed_total counts it). Default 5000000.',
    ),
    ARCHIVER_HTTP_PORT: envPort(9_300).describe(
      "Port of the archiver's /metrics, /health and /ready. Default 9300.",
    ),
    ARCHIVER_HTTP_HOST: envListenHost().describe(
      "Address the archiver's /metrics, /health and /ready listen on: 0.0.0.0 (every interface) lets probes and Prometheus reach a pod, 127.0.0.1 keeps them to this machine. Default 0.0.0.0.",
    ),
  },
  function* archiverConfigProblems(config) {
    yield* redisTopologyProblems(config);
    const hot: unknown = config.STATUS_HOT_SECONDS;
    const retention: unknown = config.STATUS_RETENTION_SECONDS;
    if (typeof hot === 'number' && typeof retention === 'number' && hot > retention)
      yield ['STATUS_HOT_SECONDS', 'must not be above STATUS_RETENTION_SECONDS'];
  },
);

export type ArchiverConfig = z.infer<typeof archiverConfigSchema>;
