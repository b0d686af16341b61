import { ARCHIVE_GROUP, ARCHIVE_ID_FIELD, archiveStreamKeys, type RedisConnection } from '@sms/queue';

/** One entry of the archive stream: the id of a message that became final. */
export interface ArchiveEntry {
  readonly entryId: string;
  /** Undefined for an entry deleted from the stream while it was pending: only to acknowledge. */
  readonly id: string | undefined;
}

export interface ArchiveConsumerOptions {
  /** The gateway's key prefix (`redisKeyPrefix(QUEUE_PREFIX)`). */
  readonly prefix: string;
  /** This process's name in the consumer group: unique per process. */
  readonly consumer: string;
  /** Entries per batch (ARCHIVE_BATCH_SIZE). */
  readonly batchSize: number;
  /** Entries pending on another consumer this long are taken over (ARCHIVE_CLAIM_IDLE_MS). */
  readonly claimIdleMs: number;
  /** How long a read waits for new entries, in ms. */
  readonly blockMs: number;
}

type StreamEntries = [entryId: string, fields: string[] | null][];

/**
 * This archiver's side of the archive stream's consumer group. A batch is what this consumer
 * took and has not finished first (after a failure, it is tried again as it was), then entries
 * a dead archiver left pending past `claimIdleMs`, then new entries.
 */
export class ArchiveConsumer {
  private readonly stream: string;
  private readonly limitKey: string;
  // Where the next XAUTOCLAIM scan starts; back to the start when a scan reaches the end.
  private claimCursor = '0-0';

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: ArchiveConsumerOptions,
  ) {
    const keys = archiveStreamKeys(options.prefix);
    this.stream = keys.stream;
    this.limitKey = keys.limit;
  }

  /**
   * Creates the stream and its group unless they exist (from the start of the stream: entries
   * added before are archived too), and sets the stream's bound. From then on the status
   * scripts add final messages to it.
   */
  async prepare(backlogLimit: number): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.stream, ARCHIVE_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
    await this.redis.set(this.limitKey, backlogLimit);
  }

  /** The next batch; empty when nothing came within `blockMs`. */
  async next(): Promise<ArchiveEntry[]> {
    const own = await this.read('0');
    if (own.length > 0) return own;
    const claimed = await this.claim();
    if (claimed.length > 0) return claimed;
    return this.read('>');
  }

  private async read(from: '0' | '>'): Promise<ArchiveEntry[]> {
    const { consumer, batchSize, blockMs } = this.options;
    const block = from === '>' ? ['BLOCK', blockMs] : [];
    const reply = (await this.redis.call(
      'XREADGROUP',
      'GROUP',
      ARCHIVE_GROUP,
      consumer,
      'COUNT',
      batchSize,
      ...block,
      'STREAMS',
      this.stream,
      from,
    )) as [stream: string, entries: StreamEntries][] | null;
    return entriesOf(reply?.[0]?.[1] ?? []);
  }

  private async claim(): Promise<ArchiveEntry[]> {
    const { consumer, batchSize, claimIdleMs } = this.options;
    const [cursor, entries] = (await this.redis.call(
      'XAUTOCLAIM',
      this.stream,
      ARCHIVE_GROUP,
      consumer,
      claimIdleMs,
      this.claimCursor,
      'COUNT',
      batchSize,
    )) as [cursor: string, entries: StreamEntries, deleted?: string[]];
    this.claimCursor = cursor;
    return entriesOf(entries);
  }
}

function entriesOf(entries: StreamEntries): ArchiveEntry[] {
  return entries.map(([entryId, fields]) => {
    const at = fields?.indexOf(ARCHIVE_ID_FIELD) ?? -1;
    return { entryId, id: at >= 0 && at % 2 === 0 ? fields?.[at + 1] : undefined };
  });
}
