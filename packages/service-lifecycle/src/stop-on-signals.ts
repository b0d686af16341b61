export interface SignalShutdown {
  /** Stops the service; the process exits 0 once it resolves. */
  readonly stop: () => Promise<void>;
  /** After a signal, how long `stop` may take before the process exits 1 anyway, in ms. */
  readonly timeoutMs: number;
  readonly logger: {
    info(details: object, message: string): void;
    info(message: string): void;
    warn(message: string): void;
  };
  /** What the service does with its work in flight, for the log lines. */
  readonly stopping: string;
  readonly timedOut: string;
}

/**
 * Stops the service on SIGTERM or SIGINT: the first signal starts the shutdown, later ones
 * change nothing; past `timeoutMs` the process exits 1 with what was in flight left as it was.
 */
export function stopOnSignals(shutdown: SignalShutdown): void {
  const { logger } = shutdown;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, shutdown.stopping);
    const force = setTimeout(() => {
      logger.warn(shutdown.timedOut);
      process.exit(1);
    }, shutdown.timeoutMs);
    force.unref();
    await shutdown.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
