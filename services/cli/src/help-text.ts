import { formatColumns } from '@sms/cli-text';
import {
  COMMANDS,
  type CommandName,
  type CommandSpec,
  ENVIRONMENT,
  GLOBAL_OPTIONS,
  GROUPS,
  type OptionSpec,
} from './command-table';
import { EXIT_CODES } from './exit-codes';

const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];
// The global options that change what a command does, as a command's help lists them.
const COMMAND_GLOBALS = Object.keys(GLOBAL_OPTIONS)
  .filter((option) => option !== 'help' && option !== 'version')
  .map((option) => `--${option}`)
  .join(', ');

/** `sms --help`: every command, the global options, the environment and the exit codes. */
export function programHelp(): string {
  return [
    'Usage: sms COMMAND [options]',
    '',
    "Sends SMS through the gateway's HTTP API, follows them, and looks after dead letters.",
    '',
    'Commands:',
    indent(formatColumns(COMMAND_NAMES.map((name) => [usageOf(name), COMMANDS[name].summary]))),
    '',
    'Global options (before or after the command):',
    indent(optionTable(GLOBAL_OPTIONS)),
    '',
    `Environment: ${Object.keys(ENVIRONMENT).join(', ')}; options win.`,
    '',
    'Exit codes:',
    indent(formatColumns(Object.values(EXIT_CODES).map(({ code, meaning }) => [String(code), meaning]))),
    'On exit 3, send prints its --idempotency-key: retry with it and the message is made once.',
    '',
    'sms COMMAND --help shows the options of one command.',
  ].join('\n');
}

/** `sms dlq --help`: the commands of a group. */
export function groupHelp(group: string): string {
  const names = COMMAND_NAMES.filter((name) => name.startsWith(`${group} `));
  return [
    `Usage: sms ${group} COMMAND [options]`,
    '',
    `Commands for ${GROUPS[group] ?? group}:`,
    indent(formatColumns(names.map((name) => [usageOf(name), COMMANDS[name].summary]))),
    '',
    `sms ${group} COMMAND --help shows the options of one; sms --help the global options.`,
  ].join('\n');
}

/** `sms send --help` and the like: usage, route, options, notes, exit codes in brief. */
export function commandHelp(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  const options =
    Object.keys(spec.options).length === 0 ? [] : ['Options:', indent(optionTable(spec.options)), ''];
  return [
    `Usage: ${usageOf(name)}`,
    '',
    `${capitalise(spec.summary)} (${spec.route}, ${spec.key === 'admin' ? 'admin key' : 'client key'}).`,
    '',
    ...options,
    ...(spec.notes ? [...spec.notes, ''] : []),
    `Global options: ${COMMAND_GLOBALS} (sms --help).`,
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

function optionTable(options: Readonly<Record<string, OptionSpec>>): string {
  return formatColumns(
    Object.entries(options).map(([name, option]) => [
      `${option.short ? `-${option.short}, ` : ''}--${name}${option.value ? ` ${option.value}` : ''}`,
      option.description,
    ]),
  );
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
