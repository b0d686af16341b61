import type { KaaraiCode } from '@sms/contracts';
import type { SimulatorStats } from '@sms/kaarai-simulator-wire';

/** What `GET /stats` answers, but for `recorded`, which the message record counts. */
export type StatsSnapshot = Omit<SimulatorStats, 'recorded'>;

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
