// BullMQ ships the Lua of its scripts in dist/cjs/scripts, typed only in its ESM build.
declare module 'bullmq/dist/cjs/scripts' {
  /** One of BullMQ's scripts: its name (without BullMQ's version), its Lua, its number of keys. */
  interface BullmqScript {
    readonly name: string;
    readonly content: string;
    readonly keys: number;
  }
  export const addStandardJob: BullmqScript;
  export const addDelayedJob: BullmqScript;
  export const addPrioritizedJob: BullmqScript;
}
