/**
 * What a script runs on: an ioredis connection (`Redis` or `Cluster`), or BullMQ's client of a
 * queue, which hands both calls through to its own ioredis connection.
 */
export interface ScriptHost {
  defineCommand(name: string, definition: { lua: string; numberOfKeys?: number }): void;
}

export interface ScriptDefinition<Reply> {
  /** The command name the script gets on each connection; unique among the gateway's scripts. */
  readonly name: string;
  readonly lua: string;
  /** True for every answer the script can give (nil and false arrive as `null`). */
  readonly isReply: (raw: unknown) => raw is Reply;
}

/** A script answered what it never returns: another script under its name, or a bug in it. */
export class ScriptReplyError extends Error {
  readonly code = 'REDIS_SCRIPT_REPLY';

  constructor(
    readonly script: string,
    readonly reply: unknown,
  ) {
    super(`Redis script ${script} answered ${JSON.stringify(reply)}`);
    this.name = this.constructor.name;
  }
}

/**
 * A Lua script with typed keys, arguments and answer. The first `run` on a connection defines it
 * there with ioredis' `defineCommand`, which sends EVALSHA and, on a socket that has not run the
 * script yet (or after NOSCRIPT), EVAL: one round trip per call, with no SCRIPT LOAD.
 */
export class RedisScript<Keys extends readonly string[], Args extends readonly unknown[], Reply> {
  private readonly definedOn = new WeakSet<ScriptHost>();

  constructor(private readonly definition: ScriptDefinition<Reply>) {}

  /**
   * Runs the script on `host` with `keys` as KEYS and `args` as ARGV (ioredis sends numbers and
   * Buffers as they are, and flattens arrays). Rejects with `ScriptReplyError` on an answer that
   * `isReply` refuses.
   */
  async run(host: ScriptHost, keys: Keys, args: Args): Promise<Reply> {
    const { name, lua, isReply } = this.definition;
    if (!this.definedOn.has(host)) {
      // No numberOfKeys: every call passes its own count, as EVALSHA takes it, so that scripts
      // whose keys vary in number need no second definition. Redis receives the same command.
      host.defineCommand(name, { lua });
      this.definedOn.add(host);
    }
    const command: unknown = Reflect.get(host, name);
    if (typeof command !== 'function') throw new Error(`${name} was defined but is not a command`);
    const reply: unknown = await Reflect.apply(command, host, [keys.length, ...keys, ...args]);
    if (!isReply(reply)) throw new ScriptReplyError(name, reply);
    return reply;
  }
}

/** `isReply` of a script that returns an integer. */
export function isIntegerReply(raw: unknown): raw is number {
  return Number.isInteger(raw);
}
