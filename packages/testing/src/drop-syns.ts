import { spawnSync } from 'node:child_process';

export interface SynDrop {
  /** Removes the rule; safe to call more than once. */
  restore(): void;
}

function iptables(args: readonly string[]): { ok: boolean; output: string } {
  // -w waits for the xtables lock instead of failing when another process holds it.
  const run = spawnSync('iptables', ['-w', ...args], { encoding: 'utf8' });
  if (run.error) return { ok: false, output: run.error.message };
  return { ok: run.status === 0, output: `${run.stderr}${run.stdout}`.trim() };
}

/**
 * Why this machine cannot drop packets for a test (no iptables, or not allowed to change its
 * rules), or `undefined` when it can. Synchronous, so that a test file can decide at load time
 * whether to skip its packet-drop cases.
 */
export function synDropUnavailable(): string | undefined {
  const probe = iptables(['-L', 'INPUT', '-n']);
  return probe.ok ? undefined : `iptables is not usable here (${probe.output || 'no output'})`;
}

/**
 * Drops every TCP SYN to `port` on the loopback interface, as a network that loses packets
 * would: a connection attempt gets no answer at all (no refusal), until `restore()`.
 */
export function dropSyns(port: number): SynDrop {
  const rule = ['INPUT', '-i', 'lo', '-p', 'tcp', '--dport', String(port), '--syn', '-j', 'DROP'];
  const added = iptables(['-I', ...rule]);
  if (!added.ok) throw new Error(`could not drop SYNs to port ${port}: ${added.output}`);
  let restored = false;
  return {
    restore: () => {
      if (restored) return;
      restored = true;
      const removed = iptables(['-D', ...rule]);
      if (!removed.ok) throw new Error(`could not remove the SYN drop on port ${port}: ${removed.output}`);
    },
  };
}
