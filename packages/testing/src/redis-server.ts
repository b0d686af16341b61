import type { ServerTarget } from '@sms/config';

// What a test's Redis offers, apart from how it is started (a local redis-server or a container).
export interface TestRedis {
  readonly url: string;
  /** The same server as a target, for `createProducerConnection` and `createWorkerConnection`. */
  readonly target: ServerTarget;
  /** False when the tests were pointed at someone else's Redis through `REDIS_URL`. */
  readonly owned: boolean;
  stop(): Promise<void>;
}

export interface RedisServer extends TestRedis {
  readonly port: number;
  /**
   * Starts the server again on the same port, after `stop()` or `crash()`; after `crash()` it
   * reloads the append-only file, as a Redis restarted by its supervisor does.
   */
  restart(): Promise<void>;
  /**
   * Kills the server with SIGKILL and keeps its data directory, so that `restart()` finds what
   * the append-only file holds.
   */
  crash(): Promise<void>;
  /**
   * Stops the server with SIGSTOP until `thaw()`: its clients stay connected and every command
   * they send waits, unanswered, in the socket. Needs a local `redis-server`.
   */
  freeze(): void;
  /** SIGCONT: the server runs again and executes, in order, every command that waited. */
  thaw(): void;
}

export interface RedisServerOptions {
  /** Keep an append-only file. @defaultValue false, or true when `appendfsync` is given */
  readonly appendOnly?: boolean;
  /**
   * When Redis fsyncs the append-only file: after every write (`always`), once a second
   * (`everysec`), or when the OS decides (`no`). @defaultValue 'everysec' (Redis' own default)
   */
  readonly appendfsync?: 'always' | 'everysec' | 'no';
  /**
   * The data folder, e.g. a tiny file system (`mountTinyDisk`) that fills up; left in place on
   * `stop()`. @defaultValue a new temporary folder, removed on `stop()`
   */
  readonly dir?: string;
}
