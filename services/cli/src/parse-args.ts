import { parseArgs as parseNodeArgs } from 'node:util';
import { COMMANDS, type CommandName, GLOBAL_OPTIONS, GROUPS, type OptionSpec } from './command-table';
import { isHeaderValue } from './header-value';
import { commandHelp, groupHelp, programHelp } from './help-text';

/** The fields of `POST /v1/sms` as typed; the API judges them (the CLI only converts types). */
export interface SendFields {
  readonly to: string;
  readonly text: string;
  readonly from?: string;
  readonly validFor?: number;
  readonly priority?: string;
  readonly sendAt?: string;
  readonly reference?: string;
}

export type Command =
  | {
      readonly name: 'send';
      /** Without `text` when it is to be read from standard input (`--text -`). */
      readonly fields: Omit<SendFields, 'text'> & { readonly text?: string };
      readonly idempotencyKey?: string;
    }
  | { readonly name: 'status' | 'cancel' | 'dlq show' | 'dlq delete'; readonly id: string }
  | { readonly name: 'find'; readonly reference: string }
  | { readonly name: 'dlq list'; readonly query: Readonly<Record<string, string>> }
  | { readonly name: 'dlq replay'; readonly ids: readonly string[]; readonly validFor?: number };

/** The global options as given; `resolveSettings` adds the environment and the defaults. */
export interface GlobalValues {
  readonly url?: string;
  readonly adminUrl?: string;
  readonly key?: string;
  readonly adminKey?: string;
  readonly timeout?: string;
  readonly json: boolean;
}

export type ParsedArgs =
  | { readonly kind: 'run'; readonly command: Command; readonly globals: GlobalValues }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' }
  /** Wrong usage: `message` says what, `help` is the usage of the command meant. */
  | { readonly kind: 'usage'; readonly message: string; readonly help: string };

type Values = Readonly<Record<string, string | boolean | undefined>>;

// Every option of every command: the first pass must know which options take a value to tell
// values from positionals; the second check refuses options of another command.
const ALL_OPTIONS: Readonly<Record<string, OptionSpec>> = Object.assign(
  {},
  GLOBAL_OPTIONS,
  ...Object.values(COMMANDS).map((spec) => spec.options),
);
const NODE_OPTIONS = Object.fromEntries(
  Object.entries(ALL_OPTIONS).map(([name, { type, short }]) => [name, short ? { type, short } : { type }]),
);
const WHOLE_NUMBER = /^\d+$/;

/** Reads `sms [global options] COMMAND [arguments] [options]`; `argv` follows the program name. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let values: Values;
  let positionals: string[];
  try {
    const parsed = parseNodeArgs({
      args: [...argv],
      options: NODE_OPTIONS,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    ({ values, positionals } = parsed);
    const twice = repeatedOption(parsed.tokens);
    if (twice) return usage(`--${twice} is given twice`, helpOf(positionals));
  } catch (error) {
    return usage((error as Error).message, helpOf(guessPositionals(argv)));
  }

  if (positionals[0] === 'help') return { kind: 'help', text: helpOf(positionals.slice(1)) };
  if (values.help) return { kind: 'help', text: helpOf(positionals) };
  if (values.version) return { kind: 'version' };

  const found = commandIn(positionals);
  if (!found.ok) return usage(found.message, helpOf(positionals));
  const { name, args } = found;
  const help = commandHelp(name);
  const problem = misuse(name, args, values);
  if (problem) return usage(problem, help);
  const command = buildCommand(name, args, values);
  if (typeof command === 'string') return usage(`sms ${name}: ${command}`, help);
  return {
    kind: 'run',
    command,
    globals: {
      ...stringOption(values, 'url', 'url'),
      ...stringOption(values, 'admin-url', 'adminUrl'),
      ...stringOption(values, 'key', 'key'),
      ...stringOption(values, 'admin-key', 'adminKey'),
      ...stringOption(values, 'timeout', 'timeout'),
      json: values.json === true,
    },
  };
}

/** What is wrong with the options and arguments given to a command, if anything. */
function misuse(name: CommandName, args: readonly string[], values: Values): string | undefined {
  const spec = COMMANDS[name];
  const foreign = Object.keys(values).find(
    (option) => !(option in GLOBAL_OPTIONS) && !(option in spec.options),
  );
  if (foreign) return `sms ${name} does not take --${foreign}`;
  if (args.length < spec.minArgs || args.length > spec.maxArgs) {
    return `sms ${name} takes ${spec.args === '' ? 'no arguments' : spec.args}`;
  }
  if (args.some((arg) => arg === '')) return `sms ${name}: ${spec.args} must not be empty`;
  const missing = Object.entries<OptionSpec>(spec.options).find(
    ([option, { required }]) => required && values[option] === undefined,
  );
  return missing ? `sms ${name} needs --${missing[0]}` : undefined;
}

/** The command from its options and arguments, or what is wrong with their values. */
function buildCommand(name: CommandName, args: readonly string[], values: Values): Command | string {
  const [id = ''] = args;
  switch (name) {
    case 'send': {
      const validFor = wholeNumber(values, 'valid-for');
      if (typeof validFor === 'string') return validFor;
      const key = values['idempotency-key'];
      if (typeof key === 'string' && !isHeaderValue(key)) {
        return '--idempotency-key must be printable ASCII, not empty';
      }
      const text = values.text as string;
      return {
        name,
        fields: {
          to: values.to as string,
          ...(text !== '-' && { text }),
          ...stringOption(values, 'from', 'from'),
          ...(validFor !== undefined && { validFor }),
          ...stringOption(values, 'priority', 'priority'),
          ...stringOption(values, 'send-at', 'sendAt'),
          ...stringOption(values, 'reference', 'reference'),
        },
        ...stringOption(values, 'idempotency-key', 'idempotencyKey'),
      };
    }
    case 'find':
      return { name, reference: id };
    case 'dlq list':
      return {
        name,
        query: Object.fromEntries(
          Object.keys(COMMANDS[name].options)
            .filter((option) => typeof values[option] === 'string')
            .map((option) => [option, values[option] as string]),
        ),
      };
    case 'dlq replay': {
      const validFor = wholeNumber(values, 'valid-for');
      if (typeof validFor === 'string') return validFor;
      return { name, ids: args, ...(validFor !== undefined && { validFor }) };
    }
    case 'status':
    case 'cancel':
    case 'dlq show':
    case 'dlq delete':
      return { name, id };
  }
}

type Found =
  | { readonly ok: true; readonly name: CommandName; readonly args: readonly string[] }
  | { readonly ok: false; readonly message: string };

function commandIn(positionals: readonly string[]): Found {
  const [first, second] = positionals;
  if (first === undefined) return { ok: false, message: 'missing a command' };
  // Own names only: `in` would take `sms constructor` for a group of commands.
  if (Object.hasOwn(GROUPS, first)) {
    const inGroup = commandsOf(first);
    if (second === undefined) return { ok: false, message: `missing a command: sms ${first} ${inGroup}` };
    const name = `${first} ${second}`;
    if (!Object.hasOwn(COMMANDS, name)) {
      return { ok: false, message: `unknown command "${name}"; expected sms ${first} ${inGroup}` };
    }
    return { ok: true, name: name as CommandName, args: positionals.slice(2) };
  }
  if (!Object.hasOwn(COMMANDS, first)) return { ok: false, message: `unknown command "${first}"` };
  return { ok: true, name: first as CommandName, args: positionals.slice(1) };
}

/** The most specific help for what was typed: a command's, a group's, or the program's. */
function helpOf(positionals: readonly string[]): string {
  const [first, second] = positionals;
  if (first !== undefined && Object.hasOwn(GROUPS, first)) {
    const name = `${first} ${second}`;
    return Object.hasOwn(COMMANDS, name) ? commandHelp(name as CommandName) : groupHelp(first);
  }
  return first !== undefined && Object.hasOwn(COMMANDS, first)
    ? commandHelp(first as CommandName)
    : programHelp();
}

function commandsOf(group: string): string {
  return Object.keys(COMMANDS)
    .filter((name) => name.startsWith(`${group} `))
    .map((name) => name.slice(group.length + 1))
    .join('|');
}

// After a parse error, only to choose which usage to print.
function guessPositionals(argv: readonly string[]): string[] {
  return parseNodeArgs({ args: [...argv], options: NODE_OPTIONS, allowPositionals: true, strict: false })
    .positionals;
}

function repeatedOption(tokens: ReadonlyArray<{ kind: string; name?: string }>): string | undefined {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined) continue;
    if (seen.has(token.name)) return token.name;
    seen.add(token.name);
  }
  return undefined;
}

function wholeNumber(values: Values, option: string): number | undefined | string {
  const value = values[option];
  if (typeof value !== 'string') return undefined;
  return WHOLE_NUMBER.test(value) ? Number(value) : `--${option} must be a whole number of seconds`;
}

function stringOption<K extends string>(values: Values, option: string, key: K): { [P in K]?: string } {
  const value = values[option];
  return (typeof value === 'string' ? { [key]: value } : {}) as { [P in K]?: string };
}

function usage(message: string, help: string): ParsedArgs {
  return { kind: 'usage', message, help };
}
