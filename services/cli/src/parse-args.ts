import { CommanderError } from 'commander';
import { buildProgram, type OptionValues } from './build-program';
import { COMMANDS, type CommandName, type OptionSpec } from './command-table';
import { exitCodeOf } from './exit-codes';
import { isHeaderValue } from './header-value';

/** The fields of `POST /v1/sms` as typed; the API judges them (the CLI only converts types). */
export interface SendFields {
  readonly to: string;
  readonly text: string;
  readonly from?: string;
  readonly validFor?: number;
  readonly priority?: string;
  readonly delivery?: string;
  readonly sendAt?: string;
  readonly reference?: string;
}

/** The filter of `dlq list` and `dlq replay-all` as typed; the API or `@sms/dead-letters` judges it. */
export type DeadLetterQuery = Readonly<Record<string, string>>;

export type Command =
  | {
      readonly name: 'send';
      /** Without `text` when it is to be read from standard input (`--text -`). */
      readonly fields: Omit<SendFields, 'text'> & { readonly text?: string };
      readonly idempotencyKey?: string;
    }
  | { readonly name: 'status' | 'cancel'; readonly id: string }
  | { readonly name: 'dlq show' | 'dlq delete'; readonly id: string }
  | { readonly name: 'find'; readonly reference: string }
  | { readonly name: 'dlq list'; readonly query: DeadLetterQuery }
  | { readonly name: 'dlq replay'; readonly ids: readonly string[]; readonly validFor?: number }
  | {
      readonly name: 'dlq replay-all';
      readonly filter: DeadLetterQuery;
      readonly validFor?: number;
      /** Without it nothing is replayed; the command only counts the matches. */
      readonly yes: boolean;
    }
  | { readonly name: 'callbacks list'; readonly query: DeadLetterQuery }
  | { readonly name: 'callbacks show'; readonly id: string }
  | { readonly name: 'callbacks replay'; readonly ids: readonly string[] }
  | {
      readonly name: 'callbacks replay-all';
      readonly filter: DeadLetterQuery;
      /** Without it nothing is replayed; the command only counts the matches. */
      readonly yes: boolean;
    };

export type CallbackCommand = Extract<Command, { readonly name: `callbacks ${string}` }>;

export function isCallbackCommand(command: Command): command is CallbackCommand {
  return command.name.startsWith('callbacks ');
}

export type DeadLetterCommand = Extract<Command, { readonly name: `dlq ${string}` }>;

export function isDeadLetterCommand(command: Command): command is DeadLetterCommand {
  return command.name.startsWith('dlq ');
}

/** The global options as given; `resolveSettings` adds the environment and the defaults. */
export interface GlobalValues {
  readonly url?: string;
  readonly adminUrl?: string;
  readonly key?: string;
  readonly adminKey?: string;
  readonly timeout?: string;
  readonly json: boolean;
  /** `dlq ... --direct` or `callbacks ... --direct`: straight to Redis. */
  readonly direct: boolean;
  readonly redisUrl?: string;
  /** `dlq ... --direct`: the archive a record Redis let go is read from. */
  readonly databaseUrl?: string;
}

export type ParsedArgs =
  | { readonly kind: 'run'; readonly command: Command; readonly globals: GlobalValues }
  /** Nothing to run: help, the version, or wrong usage; print this and exit. */
  | { readonly kind: 'exit'; readonly exitCode: number; readonly stdout: string; readonly stderr: string };

const WHOLE_NUMBER = /^\d+$/;
const FILTER_OPTIONS = ['reason', 'since', 'until'] as const;
const CALLBACK_FILTER_OPTIONS = ['client', 'since', 'until'] as const;

/** Reads `sms [global options] COMMAND [arguments] [options]`; `argv` follows the program name. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let stdout = '';
  let stderr = '';
  let found: ParsedArgs | undefined;
  const program = buildProgram(
    (name, args, values, misuse) => {
      const problem = misuseOf(name, args, values);
      if (problem !== undefined) misuse(problem);
      const command = buildCommand(name, args, values);
      if (typeof command === 'string') misuse(`sms ${name}: ${command}`);
      found = { kind: 'run', command: command as Command, globals: globalsOf(values) };
    },
    { writeOut: (text) => (stdout += text), writeErr: (text) => (stderr += text) },
  );
  // `sms help dlq list` as `sms dlq list --help`: commander's help command stops at the group.
  const args = argv[0] === 'help' && argv.length > 1 ? [...argv.slice(1), '--help'] : [...argv];
  try {
    program.parse(args, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help and --version stop with 0; every other stop of the parser is wrong usage, whatever
    // number commander would have exited with.
    const exitCode = exitCodeOf(error.exitCode === 0 ? 'done' : 'usage');
    return {
      kind: 'exit',
      exitCode,
      stdout: withoutFinalNewline(stdout),
      stderr: withoutFinalNewline(stderr),
    };
  }
  if (found === undefined) throw new Error('the parser neither ran a command nor stopped');
  return found;
}

/** What is wrong with the arguments and options given to a command, if anything. */
function misuseOf(name: CommandName, args: readonly string[], values: OptionValues): string | undefined {
  if (args.some((arg) => arg === '')) return `sms ${name}: its arguments must not be empty`;
  // Checked here rather than by the parser, so that the message names the command.
  const missing = Object.entries<OptionSpec>(COMMANDS[name].options).find(
    ([option, { required }]) => required && values[camelCase(option)] === undefined,
  );
  if (missing !== undefined) return `sms ${name} needs --${missing[0]}`;
  for (const [option, value] of [
    ['--redis-url', values.redisUrl],
    ['--database-url', values.databaseUrl],
  ] as const) {
    if (value !== undefined && values.direct !== true) return `sms ${name}: ${option} is for --direct only`;
  }
  return undefined;
}

/** The command from its arguments and options, or what is wrong with their values. */
function buildCommand(name: CommandName, args: readonly string[], values: OptionValues): Command | string {
  const [id = ''] = args;
  switch (name) {
    case 'send': {
      const validFor = wholeNumber(values, 'valid-for');
      if (typeof validFor === 'string') return validFor;
      const key = values.idempotencyKey;
      if (typeof key === 'string' && !isHeaderValue(key)) {
        return '--idempotency-key must be printable ASCII, not empty';
      }
      const text = values.text as string;
      return {
        name,
        fields: {
          to: values.to as string,
          ...(text !== '-' && { text }),
          ...stringOption(values, 'from'),
          ...(validFor !== undefined && { validFor }),
          ...stringOption(values, 'priority'),
          ...stringOption(values, 'delivery'),
          ...stringOption(values, 'sendAt'),
          ...stringOption(values, 'reference'),
        },
        ...stringOption(values, 'idempotencyKey'),
      };
    }
    case 'find':
      return { name, reference: id };
    case 'dlq list':
      return { name, query: queryOf(values, [...FILTER_OPTIONS, 'limit', 'cursor']) };
    case 'dlq replay': {
      const validFor = wholeNumber(values, 'valid-for');
      if (typeof validFor === 'string') return validFor;
      return { name, ids: args, ...(validFor !== undefined && { validFor }) };
    }
    case 'dlq replay-all': {
      const validFor = wholeNumber(values, 'valid-for');
      if (typeof validFor === 'string') return validFor;
      return {
        name,
        filter: queryOf(values, FILTER_OPTIONS),
        ...(validFor !== undefined && { validFor }),
        yes: values.yes === true,
      };
    }
    case 'callbacks list':
      return { name, query: queryOf(values, [...CALLBACK_FILTER_OPTIONS, 'limit', 'cursor']) };
    case 'callbacks show':
      return { name, id };
    case 'callbacks replay':
      return { name, ids: args };
    case 'callbacks replay-all':
      return { name, filter: queryOf(values, CALLBACK_FILTER_OPTIONS), yes: values.yes === true };
    case 'status':
    case 'cancel':
      return { name, id };
    case 'dlq show':
    case 'dlq delete':
      return { name, id };
  }
}

function globalsOf(values: OptionValues): GlobalValues {
  return {
    ...stringOption(values, 'url'),
    ...stringOption(values, 'adminUrl'),
    ...stringOption(values, 'key'),
    ...stringOption(values, 'adminKey'),
    ...stringOption(values, 'timeout'),
    json: values.json === true,
    direct: values.direct === true,
    ...stringOption(values, 'redisUrl'),
    ...stringOption(values, 'databaseUrl'),
  };
}

function queryOf(values: OptionValues, options: readonly string[]): DeadLetterQuery {
  return Object.fromEntries(
    options
      .filter((option) => typeof values[option] === 'string')
      .map((option) => [option, values[option] as string]),
  );
}

function wholeNumber(values: OptionValues, option: string): number | undefined | string {
  const value = values[camelCase(option)];
  if (typeof value !== 'string') return undefined;
  return WHOLE_NUMBER.test(value) ? Number(value) : `--${option} must be a whole number of seconds`;
}

function stringOption<K extends string>(values: OptionValues, key: K): { [P in K]?: string } {
  const value = values[key];
  return (typeof value === 'string' ? { [key]: value } : {}) as { [P in K]?: string };
}

// `valid-for` as the parser names its value: `validFor`.
function camelCase(option: string): string {
  return option.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function withoutFinalNewline(text: string): string {
  return text.replace(/\n$/, '');
}
