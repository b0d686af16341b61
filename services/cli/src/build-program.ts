import { Command, InvalidArgumentError, Option } from 'commander';
import {
  COMMANDS,
  type CommandName,
  GLOBAL_OPTIONS,
  GROUPS,
  HELP_DESCRIPTION,
  type OptionSpec,
  VERSION_DESCRIPTION,
} from './command-table';
import { commandHelpEnd, commandSummary, programHelpEnd, usageOf } from './help-text';
import { CLI_VERSION } from './version';

/** The options of one run, as the parser gives them: global, group and command options together. */
export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

/** What the program calls when a command was given with its arguments. */
export type OnCommand = (
  name: CommandName,
  args: readonly string[],
  values: OptionValues,
  /** Says what is wrong and stops the parse with a usage error, the command's help following. */
  misuse: (message: string) => never,
) => void;

export interface ProgramOutput {
  readonly writeOut: (text: string) => void;
  readonly writeErr: (text: string) => void;
}

/**
 * The whole command line as a commander program, built from `COMMANDS`: one subcommand each,
 * `dlq ...` under a `dlq` group, with generated help. It never exits the process: every stop
 * (help, version, usage error) is thrown as a `CommanderError` for `parseArgs` to read.
 */
export function buildProgram(onCommand: OnCommand, output: ProgramOutput): Command {
  const program = new Command('sms')
    .description("Sends SMS through the gateway's HTTP API, follows them, and looks after dead letters.")
    .usage('COMMAND [options]')
    .exitOverride()
    .configureOutput({
      ...output,
      // Commander's own messages start "error: "; ours read "sms: ..." like the rest of sms.
      outputError: (text, write) => write(`sms: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError()
    .configureHelp({
      showGlobalOptions: true,
      // One list of every command, `dlq ...` included, each with its arguments.
      visibleCommands: (command) =>
        command.commands.flatMap((sub) => (sub.commands.length > 0 ? sub.commands : [sub])),
      subcommandTerm: (command) => `${pathOf(command)} ${command.usage()}`.trim(),
    })
    .helpOption('-h, --help', HELP_DESCRIPTION)
    .version(CLI_VERSION, '--version', VERSION_DESCRIPTION)
    .addHelpText('after', programHelpEnd());
  for (const option of optionsOf(GLOBAL_OPTIONS)) program.addOption(option);

  // A group is made where its first command comes, so that the help lists commands in table order.
  const groups = new Map<string, Command>();
  const groupOf = (group: string): Command => {
    const made = groups.get(group);
    if (made) return made;
    const { summary, options } = GROUPS[group]!;
    const command = program.command(group).description(`Commands for ${summary}.`).usage('COMMAND [options]');
    for (const option of optionsOf(options)) command.addOption(option);
    groups.set(group, command);
    return command;
  };

  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    const spec = COMMANDS[name];
    const [first = '', second] = name.split(' ');
    const parent = second === undefined ? program : groupOf(first);
    const command = parent
      .command(second ?? first)
      .summary(spec.summary)
      .description(commandSummary(name))
      .usage(usageOf(name).slice(`sms ${name}`.length).trim())
      .addHelpText('after', commandHelpEnd(name));
    if (spec.args !== '') {
      const variadic = spec.args.endsWith('...');
      command.argument(`<${spec.args.replace('...', '').toLowerCase()}${variadic ? '...' : ''}>`);
    }
    for (const option of optionsOf(spec.options)) command.addOption(option);
    command.action((...received: unknown[]) => {
      const self = received.at(-1) as Command;
      const args = self.args;
      onCommand(name, args, self.optsWithGlobals(), (message) => self.error(message));
    });
  }
  return program;
}

function optionsOf(specs: Readonly<Record<string, OptionSpec>>): Option[] {
  return Object.entries(specs).map(([name, spec]) => {
    const flags = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` <${spec.value}>` : ''}`;
    const option = new Option(flags, spec.description);
    // A second value would silently replace the first: say so instead.
    return spec.type === 'string'
      ? option.argParser((value: string, previous: string | undefined) => {
          if (previous !== undefined) throw new InvalidArgumentError(`--${name} is given twice.`);
          return value;
        })
      : option;
  });
}

// `dlq replay`: the names between the program and the command.
function pathOf(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}
