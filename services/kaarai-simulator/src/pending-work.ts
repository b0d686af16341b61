import type { ServerResponse } from 'node:http';

/**
 * Answers waiting out their latency and requests held unanswered, so that closing the
 * simulator can finish or cut them instead of waiting for clients to give up.
 */
export class PendingWork {
  #timers = new Set<NodeJS.Timeout>();
  #held = new Set<ServerResponse>();

  /** Runs `task` after `delayMs` (at once when 0). */
  later(delayMs: number, task: () => void): void {
    if (delayMs <= 0) {
      task();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      task();
    }, delayMs);
    this.#timers.add(timer);
  }

  /** Keeps a response unanswered until the client goes away or `destroyHeld()`. */
  hold(response: ServerResponse): void {
    this.#held.add(response);
    response.once('close', () => this.#held.delete(response));
  }

  /** Number of answers still waiting out their latency. */
  get delayed(): number {
    return this.#timers.size;
  }

  /** Number of requests held unanswered. */
  get held(): number {
    return this.#held.size;
  }

  destroyHeld(): void {
    for (const response of this.#held) response.socket?.destroy();
    this.#held.clear();
  }

  cancelDelayed(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
