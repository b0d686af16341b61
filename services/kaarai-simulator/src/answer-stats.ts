import type { KaaraiCode } from '@sms/contracts';

export interface StatsSnapshot {
  /** Requests on the Kaarai ports (HTTP and HTTPS), any path or method. */
  readonly requests: number;
  /** Answers sent, by Kaarai code. */
  readonly answers: Readonly<Partial<Record<KaaraiCode, number>>>;
  /** Requests read and never answered (hang fault). */
  readonly hung: number;
  /** Connections reset instead of answering, before processing (drop fault). */
  readonly dropped: number;
  /** Requests processed (and recorded if accepted) whose answer was lost (lose-answer fault). */
  readonly answersLost: number;
  /** ISO 8601 time of the start or of the last reset. */
  readonly since: string;
}

/** Counters of what the send endpoint did, for the admin API's `GET /stats`. */
export class AnswerStats {
  #requests = 0;
  #answers: Partial<Record<KaaraiCode, number>> = {};
  #hung = 0;
  #dropped = 0;
  #answersLost = 0;
  #since: Date;

  constructor(now: Date = new Date()) {
    this.#since = now;
  }

  countRequest(): void {
    this.#requests += 1;
  }

  countAnswer(code: KaaraiCode): void {
    this.#answers[code] = (this.#answers[code] ?? 0) + 1;
  }

  countHang(): void {
    this.#hung += 1;
  }

  countDrop(): void {
    this.#dropped += 1;
  }

  countLostAnswer(): void {
    this.#answersLost += 1;
  }

  snapshot(): StatsSnapshot {
    return {
      requests: this.#requests,
      answers: { ...this.#answers },
      hung: this.#hung,
      dropped: this.#dropped,
      answersLost: this.#answersLost,
      since: this.#since.toISOString(),
    };
  }

  clear(now: Date = new Date()): void {
    this.#requests = 0;
    this.#answers = {};
    this.#hung = 0;
    this.#dropped = 0;
    this.#answersLost = 0;
    this.#since = now;
  }
}
