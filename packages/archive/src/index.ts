export { dropPartitionsBefore, ensurePartitions, partitionName } from './archive-partitions';
export { ArchiveReader } from './archive-reader';
export { ArchiveUnavailableError, isUnavailable } from './archive-unavailable-error';
export { ArchiveWriter } from './archive-writer';
export type { ArchivedMessage } from './archived-message';
export { type ArchivePoolOptions, createArchivePool } from './create-archive-pool';
export { MIGRATIONS_DIR, type MigrateOptions, migrateDatabase } from './migrate-database';
