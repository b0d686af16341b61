/** One message the simulator accepted, as `GET /messages` shows it. */
export interface SimulatorMessage {
  readonly id: string;
  readonly to: string;
  readonly from: string | null;
  readonly text: string;
  readonly code: 2020 | 2021;
  /** ISO 8601. */
  readonly receivedAt: string;
  readonly authUser: string;
}

export interface SimulatorStats {
  /** Requests on the Kaarai ports, any path. */
  readonly requests: number;
  /** Answers sent, by Kaarai code (keys are the codes as strings, as in JSON). */
  readonly answers: Readonly<Record<string, number>>;
  readonly hung: number;
  readonly dropped: number;
  readonly answersLost: number;
  /** Messages accepted since the last reset, including those the record no longer holds. */
  readonly recorded: number;
  /** ISO 8601 time of the start or last reset. */
  readonly since: string;
}

export interface SimulatorFaults {
  readonly failureRate: number;
  readonly failNext: number;
  /** ISO 8601, or `null` when there is no outage. */
  readonly outageUntil: string | null;
  readonly latencyMs: number;
  readonly hangRate: number;
  readonly hangNext: number;
  readonly dropRate: number;
  readonly dropNext: number;
  readonly loseAnswerRate: number;
  readonly loseAnswerNext: number;
}

/** The body of `PUT /faults`; `outageMs` starts an outage of that length now (0 ends it). */
export type SimulatorFaultUpdate = Partial<SimulatorFaults & { readonly outageMs: number }>;

/** The settings as the admin API answers them: never the password. */
export interface SimulatorSettings {
  readonly user: string;
  readonly blockedPrefixes: readonly string[];
  readonly queuedShare: number;
  readonly bodyStyle: 'json' | 'text' | 'empty';
}

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
    const body = await this.#request<{ messages: SimulatorMessage[] }>('GET', `/messages${query}`);
    return body.messages;
  }

  /** Forgets every recorded message and zeroes the stats; faults and settings stay. */
  async reset(): Promise<void> {
    await this.#request('DELETE', '/messages');
  }

  stats(): Promise<SimulatorStats> {
    return this.#request('GET', '/stats');
  }

  faults(): Promise<SimulatorFaults> {
    return this.#request('GET', '/faults');
  }

  /** Changes the given faults only, and returns all of them. */
  setFaults(update: SimulatorFaultUpdate): Promise<SimulatorFaults> {
    return this.#request('PUT', '/faults', update);
  }

  /** Turns every fault off. */
  clearFaults(): Promise<SimulatorFaults> {
    return this.#request('DELETE', '/faults');
  }

  settings(): Promise<SimulatorSettings> {
    return this.#request('GET', '/settings');
  }

  /** Changes the given settings only, and returns all of them. */
  setSettings(
    update: Partial<SimulatorSettings & { readonly password: string }>,
  ): Promise<SimulatorSettings> {
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
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) throw new SimulatorAdminError(response.status, parsed, `${method} ${path}`);
    return parsed as T;
  }
}
