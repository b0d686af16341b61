/**
 * Settles with `work`, or rejects with `onTimeout()` when `ms` pass first. A Redis that stalls
 * (frozen, or out of reach without a connection error) answers nothing and fails nothing: every
 * wait on it that someone else waits for (a request, a scrape, a send) has to be bounded here.
 * The timer ends with the race, so a bound never keeps a process alive or fires late.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
