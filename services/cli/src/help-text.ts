import { formatColumns } from '@sms/cli-text';
import { cliConfigSchema } from '@sms/config';
import { COMMANDS, type CommandName, type CommandSpec, ENVIRONMENT, type OptionSpec } from './command-table';
import { EXIT_CODES } from './exit-codes';

// What the parser's generated help cannot know: where the settings come from, what the exit codes
// mean, which route a command calls. Each part below is added after the generated options.

/** The end of `sms --help`: the environment and the exit codes. */
export function programHelpEnd(): string {
  return [
    '',
    `Environment: ${Object.keys(ENVIRONMENT).join(', ')}; options win.`,
    `With --direct: ${Object.keys(cliConfigSchema.shape).join(', ')}`,
    '(each also as NAME_FILE); --redis-url and --database-url win. --direct never falls back to a default Redis.',
    '',
    'Exit codes:',
    indent(formatColumns(Object.values(EXIT_CODES).map(({ code, meaning }) => [String(code), meaning]))),
    'On exit 3, send prints its --idempotency-key: retry with it and the message is made once.',
    '',
    'sms COMMAND --help shows the options of one command.',
  ].join('\n');
}

/** The line under a command's usage: what it does, the route it calls and the key it needs. */
export function commandSummary(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  const key = spec.key === 'admin' ? 'admin key, or --direct' : 'client key';
  return `${capitalise(spec.summary)} (${spec.route}, ${key}).`;
}

/** The end of `sms send --help` and the like: notes and the exit codes in brief. */
export function commandHelpEnd(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  return [
    '',
    ...(spec.notes ?? []),
    `Exit codes: ${Object.entries(EXIT_CODES)
      .map(([outcome, { code }]) => `${code} ${outcome.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)}`)
      .join(', ')}.`,
  ].join('\n');
}

/** `sms send --to NUMBER --text TEXT [options]`: the arguments and required options of a command. */
export function usageOf(name: CommandName): string {
  const options = Object.entries<OptionSpec>(COMMANDS[name].options);
  const required = options
    .filter(([, option]) => option.required)
    .map(([option, { value }]) => ` --${option} ${value}`)
    .join('');
  const args = COMMANDS[name].args === '' ? '' : ` ${COMMANDS[name].args}`;
  const optional = options.some(([, option]) => !option.required) ? ' [options]' : '';
  return `sms ${name}${args}${required}${optional}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
