import { resolve } from 'node:path';

export interface BenchOptions {
  readonly mode: 'full' | 'smoke';
  /** Run only these scenarios (by name); all when empty. */
  readonly only: readonly string[];
  /** Folder of the JSON results (and CPU profiles). */
  readonly outDir: string;
  /** Profile the API and worker processes with `node --cpu-prof` and summarise the profiles. */
  readonly profile: boolean;
}

export const USAGE = `usage: pnpm bench [--smoke] [--only <scenario>]... [--profile] [--out <dir>]
  --smoke      tiny sizes, a few seconds a scenario: proves the bench runs
  --only NAME  run only this scenario (repeatable): NAMES
  --profile    write V8 CPU profiles of the API (accept) and worker (delivery) and summarise them
  --out DIR    where the JSON results go (default .bench-results)`;

/** Parses the command line; throws with the usage on anything unknown. */
export function parseBenchOptions(argv: readonly string[], scenarioNames: readonly string[]): BenchOptions {
  let mode: BenchOptions['mode'] = 'full';
  const only: string[] = [];
  let outDir = '.bench-results';
  let profile = false;
  const usage = () => USAGE.replace('NAMES', scenarioNames.join(', '));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${usage()}`);
      return next;
    };
    if (arg === '--smoke') mode = 'smoke';
    else if (arg === '--profile') profile = true;
    else if (arg === '--out') outDir = value();
    else if (arg === '--only') {
      const name = value();
      if (!scenarioNames.includes(name)) throw new Error(`no scenario named ${name}\n${usage()}`);
      only.push(name);
    } else if (arg === '--') continue;
    else throw new Error(`unknown argument ${arg}\n${usage()}`);
  }
  return { mode, only, outDir: resolve(outDir), profile };
}
