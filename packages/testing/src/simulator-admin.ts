import type {
  SimulatorFaultsView,
  SimulatorFaultUpdate,
  SimulatorMessage,
  SimulatorMessageList,
  SimulatorSettingsUpdate,
  SimulatorSettingsView,
  SimulatorStats,
} from '@sms/kaarai-simulator-wire';

// The admin API's bodies are defined once, in @sms/kaarai-simulator-wire; these are the names
// tests import them by from here.
export type {
  SimulatorFaultsView as SimulatorFaults,
  SimulatorFaultUpdate,
  SimulatorMessage,
  SimulatorSettingsView as SimulatorSettings,
  SimulatorStats,
};

/** Counts of a fault test's messages in the simulator's record, by a key such as the text. */
export interface DeliveryTally {
  /** Expected keys recorded at least once. */
  readonly delivered: number;
  /** Expected keys recorded more than once, each listed once. */
  readonly duplicated: readonly string[];
  /** Expected keys never recorded. */
  readonly lost: readonly string[];
  /** Recorded keys that were not expected. */
  readonly unexpected: readonly string[];
}

/** Raised when the admin API answers with an error; `problems` lists what it rejected. */
export class SimulatorAdminError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    request: string,
  ) {
    super(`simulator admin ${request} answered ${status}: ${JSON.stringify(body)}`);
    this.name = this.constructor.name;
  }

  get problems(): readonly string[] {
    const problems = (this.body as { problems?: unknown } | null)?.problems;
    return Array.isArray(problems) ? problems : [];
  }
}

/** A client of the Kaarai simulator's admin API (`services/kaarai-simulator`). */
export class SimulatorAdmin {
  /** @param baseUrl e.g. `http://127.0.0.1:8091`, without a trailing slash */
  constructor(readonly baseUrl: string) {}

  /** Accepted messages, oldest first; only those to `filter.to` when given. */
  async messages(filter: { readonly to?: string } = {}): Promise<SimulatorMessage[]> {
    const query = filter.to === undefined ? '' : `?to=${encodeURIComponent(filter.to)}`;
    const body = await this.#request<SimulatorMessageList>('GET', `/messages${query}`);
    return body.messages;
  }

  /** Forgets every recorded message and zeroes the stats; faults and settings stay. */
  async reset(): Promise<void> {
    await this.#request('DELETE', '/messages');
  }

  stats(): Promise<SimulatorStats> {
    return this.#request('GET', '/stats');
  }

  faults(): Promise<SimulatorFaultsView> {
    return this.#request('GET', '/faults');
  }

  /** Changes the given faults only, and returns all of them. */
  setFaults(update: SimulatorFaultUpdate): Promise<SimulatorFaultsView> {
    return this.#request('PUT', '/faults', update);
  }

  /** Turns every fault off. */
  clearFaults(): Promise<SimulatorFaultsView> {
    return this.#request('DELETE', '/faults');
  }

  settings(): Promise<SimulatorSettingsView> {
    return this.#request('GET', '/settings');
  }

  /** Changes the given settings only, and returns all of them. */
  setSettings(update: SimulatorSettingsUpdate): Promise<SimulatorSettingsView> {
    return this.#request('PUT', '/settings', update);
  }

  /** How many times each value of `key` was recorded, e.g. each text, to spot duplicates. */
  async countBy(key: 'text' | 'to' = 'text'): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const message of await this.messages())
      counts.set(message[key], (counts.get(message[key]) ?? 0) + 1);
    return counts;
  }

  /**
   * Compares what was sent with what the simulator recorded: give each test message a unique
   * text (or number) and pass them all as `expected`.
   */
  async tally(expected: Iterable<string>, key: 'text' | 'to' = 'text'): Promise<DeliveryTally> {
    const counts = await this.countBy(key);
    const expectedSet = new Set(expected);
    const duplicated: string[] = [];
    const lost: string[] = [];
    let delivered = 0;
    for (const value of expectedSet) {
      const count = counts.get(value) ?? 0;
      if (count === 0) lost.push(value);
      else delivered += 1;
      if (count > 1) duplicated.push(value);
    }
    const unexpected = [...counts.keys()].filter((value) => !expectedSet.has(value));
    return { delivered, duplicated, lost, unexpected };
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(
      `${this.baseUrl}${path}`,
      body === undefined
        ? { method }
        : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) throw new SimulatorAdminError(response.status, parsed, `${method} ${path}`);
    return parsed as T;
  }
}
