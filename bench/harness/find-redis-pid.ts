import { readdirSync, readFileSync } from 'node:fs';

/**
 * The pid of the `redis-server` listening on `port`, found by its command line (Redis rewrites
 * its title to `redis-server 127.0.0.1:<port>`), so that its CPU time can be read too; undefined
 * when it cannot be found (e.g. Redis in a container).
 */
export function findRedisPid(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    if (cmdline.startsWith('redis-server') && (cmdline.includes(`:${port}`) || cmdline.includes(` ${port} `)))
      return Number(entry);
  }
  return undefined;
}
