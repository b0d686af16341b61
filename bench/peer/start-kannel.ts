import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort, waitFor } from '@sms/testing';
import { KANNEL_ADMIN_PASSWORD, KANNEL_SMSC_ID, kannelConfig } from './kannel-config';

/** The Kannel binaries, as Debian's `kannel` package installs them. */
export interface KannelBinaries {
  readonly bearerbox: string;
  readonly smsbox: string;
}

/** `bearerbox` from PATH and the `smsbox` beside it; undefined when Kannel is not installed. */
export function findKannel(path = process.env.PATH ?? ''): KannelBinaries | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const bearerbox = join(dir, 'bearerbox');
    const smsbox = join(dir, 'smsbox');
    if (isExecutable(bearerbox) && isExecutable(smsbox)) return { bearerbox, smsbox };
  }
  return undefined;
}

export interface KannelStartOptions {
  readonly binaries: KannelBinaries;
  readonly sinkUrl: string;
  readonly sinkCaFile: string;
  readonly inFlight: number;
}

export interface RunningKannel {
  readonly bearerboxPid: number;
  readonly smsboxPid: number;
  /** smsbox's `sendsms` URL, without the query string. */
  readonly sendsmsUrl: string;
  /** bearerbox's count of messages stored and not yet delivered (`store size` of its status). */
  storeSize(): Promise<number>;
  /** SIGTERM to both boxes, SIGKILL after 5 s (bearerbox waits for its queues otherwise); removes the folder. */
  stop(): Promise<void>;
}

/**
 * Starts bearerbox, then smsbox, with a generated kannel.conf in a fresh temporary folder (an
 * empty store), and resolves once the HTTP SMSC is online and smsbox is connected.
 */
export async function startKannel(options: KannelStartOptions): Promise<RunningKannel> {
  const dir = mkdtempSync(join(tmpdir(), 'kannel-bench-'));
  const [adminPort, smsboxPort, sendsmsPort] = [await freePort(), await freePort(), await freePort()];
  const conf = join(dir, 'kannel.conf');
  writeFileSync(
    conf,
    kannelConfig({
      dir,
      adminPort,
      smsboxPort,
      sendsmsPort,
      sinkUrl: options.sinkUrl,
      sinkCaFile: options.sinkCaFile,
      inFlight: options.inFlight,
    }),
  );
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const status = async () => (await fetch(`${adminUrl}/status.txt?password=${KANNEL_ADMIN_PASSWORD}`)).text();
  const boxes: BoxProcess[] = [];
  const stop = async () => {
    await Promise.all(boxes.reverse().map((box) => box.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // -v 3: errors only on stderr; the info lines go to the log files, as a daemon's do.
    const bearerbox = startBox(options.binaries.bearerbox, ['-v', '3', conf]);
    boxes.push(bearerbox);
    const online = new RegExp(`${KANNEL_SMSC_ID}\\[.*\\(online`);
    await waitFor(async () => online.test(await status().catch(() => '')), {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: "bearerbox's HTTP SMSC online",
    });
    const smsbox = startBox(options.binaries.smsbox, ['-v', '3', conf]);
    boxes.push(smsbox);
    await waitFor(async () => /smsbox:.*on-line/.test(await status()), {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: 'smsbox connected to bearerbox',
    });
    const sendsmsUrl = `http://127.0.0.1:${sendsmsPort}/cgi-bin/sendsms`;
    await waitFor(async () => (await fetch(sendsmsUrl).catch(() => undefined)) !== undefined, {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: "smsbox's sendsms interface",
    });
    return {
      bearerboxPid: bearerbox.pid,
      smsboxPid: smsbox.pid,
      sendsmsUrl,
      storeSize: async () => Number(/store size (\d+)/.exec(await status())?.[1] ?? Number.NaN),
      stop,
    };
  } catch (error) {
    const outputs = boxes.map((box) => `${box.name}: ${box.output()}`).join('\n');
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${outputs}`);
  }
}

interface BoxProcess {
  readonly name: string;
  readonly pid: number;
  output(): string;
  stop(): Promise<void>;
}

function startBox(binary: string, args: readonly string[]): BoxProcess {
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  return {
    name: binary,
    pid: child.pid ?? -1,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
