import { randomUUID } from 'node:crypto';
import { COMMANDS } from './command-table';
import { exitCodeOf } from './exit-codes';
import { parseArgs } from './parse-args';
import { resolveSettings } from './resolve-settings';
import { runCommand } from './run-command';
import { CLI_VERSION } from './version';

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(`${parsed.text}\n`);
      return exitCodeOf('done');
    case 'version':
      process.stdout.write(`${CLI_VERSION}\n`);
      return exitCodeOf('done');
    case 'usage':
      process.stderr.write(`sms: ${parsed.message}\n\n${parsed.help}\n`);
      return exitCodeOf('usage');
  }
  const { command, globals } = parsed;
  const settings = resolveSettings(globals, process.env, COMMANDS[command.name].key);
  if (!settings.ok) {
    process.stderr.write(`sms ${command.name}: ${settings.message}\n`);
    return exitCodeOf('usage');
  }
  const output = await runCommand(command, settings.settings, {
    fetch,
    readStdin,
    newIdempotencyKey: randomUUID,
  });
  if (output.stdout !== '') process.stdout.write(`${output.stdout}\n`);
  if (output.stderr !== '') process.stderr.write(`${output.stderr}\n`);
  return output.exitCode;
}

async function readStdin(): Promise<string> {
  // Someone typing the text would otherwise face a silent wait.
  if (process.stdin.isTTY) process.stderr.write('Type the text, then Ctrl-D on a line of its own.\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// `sms dlq list | head -3` closes the pipe early: the reader has what it wanted, so no stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    // exitCode, not exit(): stdout may still be draining into a pipe.
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sms: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = exitCodeOf('internal');
  },
);
