import type { SimulatorMessage } from '@sms/kaarai-simulator-wire';

export interface MessageFilter {
  /** Only messages to this number. */
  readonly to?: string;
}

/**
 * The accepted messages, oldest first, bounded so that a long load test cannot exhaust memory:
 * past `limit` the oldest are forgotten, while `total` keeps counting.
 */
export class MessageRecord {
  #items: SimulatorMessage[] = [];
  #start = 0;
  #total = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  }

  add(message: SimulatorMessage): void {
    if (this.#items.length < this.limit) {
      this.#items.push(message);
    } else {
      this.#items[this.#start] = message;
      this.#start = (this.#start + 1) % this.limit;
    }
    this.#total += 1;
  }

  /** Messages still held, oldest first. */
  list(filter: MessageFilter = {}): SimulatorMessage[] {
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
