/** What starting a service's parts gives: what runs, and how to stop it all. */
export interface StartedService<Running> {
  readonly running: Running;
  stop(): Promise<void>;
}

/** A service that a `main.ts` or a test starts once and stops once. */
export interface ServiceRuntime<Running> {
  /** Starts the parts (once; a second call returns the same). Rejects after `stop`. */
  start(): Promise<Running>;
  /** Stops what started, after a start in progress ends. Calling it again returns the same promise. */
  stop(): Promise<void>;
}

/**
 * The start-once, stop-once shape that every service runtime shares: `startParts` opens
 * everything (closing what it opened when it fails), and `stop` waits for a start in progress
 * before it closes, so that a signal during start-up leaves nothing open.
 */
export function serviceRuntime<Running>(
  name: string,
  startParts: () => Promise<StartedService<Running>>,
): ServiceRuntime<Running> {
  let started: Promise<StartedService<Running>> | undefined;
  let stopped: Promise<void> | undefined;
  return {
    start: async () => {
      if (stopped) throw new Error(`the ${name} was stopped`);
      started ??= startParts();
      return (await started).running;
    },
    stop: () => {
      stopped ??= (async () => {
        const running = await started?.catch(() => undefined);
        await running?.stop();
      })();
      return stopped;
    },
  };
}
