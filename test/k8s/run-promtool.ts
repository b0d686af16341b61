import { spawnSync } from 'node:child_process';

/**
 * Runs promtool in `cwd` and returns its output; throws with the output when it fails. promtool
 * comes with Debian's `prometheus` package, which .ci/run installs.
 */
export function promtool(cwd: string, ...args: string[]): string {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('promtool is not installed: apt-get install prometheus, as .ci/run does');
  }
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.error || run.status !== 0) throw new Error(`promtool ${args.join(' ')} failed:\n${output}`);
  return output;
}
