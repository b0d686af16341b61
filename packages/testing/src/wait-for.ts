export interface WaitOptions {
  /** Give up after this many milliseconds. @defaultValue 10000 */
  readonly timeoutMs?: number;
  /** Pause between checks, in milliseconds. @defaultValue 25 */
  readonly intervalMs?: number;
  /** Named in the error when the deadline passes. */
  readonly description?: string;
  /** Stops the polling: `waitFor` then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Polls `check` until it returns a value other than `undefined`/`false`, and returns it. Tests
 * wait for outcomes this way instead of sleeping a fixed time, so they are as fast as the
 * machine allows and still stable when it is loaded.
 */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 25, description = 'condition', signal } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
