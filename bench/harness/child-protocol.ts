import { createInterface } from 'node:readline';

/** Writes one event of the bench child protocol (see `bench-child.ts`) to stdout. */
export function emit(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
}

const stdinLines = createInterface({ input: process.stdin });
const received: string[] = [];
const waiters: Array<() => void> = [];
stdinLines.on('line', (line) => {
  received.push(line.trim());
  for (const waiter of waiters.splice(0)) waiter();
});
// A parent that died leaves a helper with nothing to do.
stdinLines.once('close', () => process.exit(0));

/** Resolves when the parent writes `name` as a line on stdin. */
export function command(name: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const index = received.indexOf(name);
      if (index === -1) waiters.push(check);
      else {
        received.splice(index, 1);
        resolve();
      }
    };
    check();
  });
}

/** Reads `--name value` pairs from argv. */
export function readArgs(argv: readonly string[] = process.argv.slice(2)): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name?.startsWith('--') && value !== undefined) args[name.slice(2)] = value;
  }
  return args;
}

/** A required numeric argument. */
export function numberArg(args: Record<string, string>, name: string): number {
  const value = Number(args[name]);
  if (args[name] === undefined || !Number.isFinite(value))
    throw new Error(`--${name} must be a number, got ${args[name]}`);
  return value;
}

/** A required string argument. */
export function stringArg(args: Record<string, string>, name: string): string {
  const value = args[name];
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}
