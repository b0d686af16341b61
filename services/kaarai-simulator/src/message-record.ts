/** One message the simulator accepted (answered 2020 or 2021), as the admin API shows it. */
export interface RecordedMessage {
  /** Made up by the simulator; Kaarai's answers carry no id. */
  readonly id: string;
  readonly to: string;
  /** `null` when the request had no `from`. */
  readonly from: string | null;
  readonly text: string;
  readonly code: 2020 | 2021;
  /** ISO 8601 time the request was taken. */
  readonly receivedAt: string;
  /** The Basic-auth user that sent it. */
  readonly authUser: string;
}

export interface MessageFilter {
  /** Only messages to this number. */
  readonly to?: string;
}

/**
 * The accepted messages, oldest first, bounded so that a long load test cannot exhaust memory:
 * past `limit` the oldest are forgotten, while `total` keeps counting.
 */
export class MessageRecord {
  #items: RecordedMessage[] = [];
  #start = 0;
  #total = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  }

  add(message: RecordedMessage): void {
    if (this.#items.length < this.limit) {
      this.#items.push(message);
    } else {
      this.#items[this.#start] = message;
      this.#start = (this.#start + 1) % this.limit;
    }
    this.#total += 1;
  }

  /** Messages still held, oldest first. */
  list(filter: MessageFilter = {}): RecordedMessage[] {
    const ordered = this.#items.slice(this.#start).concat(this.#items.slice(0, this.#start));
    const { to } = filter;
    return to === undefined ? ordered : ordered.filter((message) => message.to === to);
  }

  /** Messages accepted since the last `clear()`, including those no longer held. */
  get total(): number {
    return this.#total;
  }

  /** Messages currently held. */
  get size(): number {
    return this.#items.length;
  }

  clear(): void {
    this.#items = [];
    this.#start = 0;
    this.#total = 0;
  }
}
