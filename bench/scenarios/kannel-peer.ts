import { join } from 'node:path';
import { SimulatorAdmin } from '@sms/testing';
import { spawnBenchChild } from '../harness/bench-child';
import type { BenchEnvironment } from '../harness/bench-environment';
import { measureWorkerDrain, type WorkerDrain } from '../harness/measure-worker-drain';
import { settleRedis } from '../harness/settle-redis';
import type { AutocannonJob } from '../load/autocannon-job';
import { combineRuns } from '../load/combine-runs';
import { type MeasuredLoad, runAutocannon } from '../load/run-autocannon';
import { drainKannel, type KannelDrain, type KannelSinkInfo } from '../peer/drain-kannel';
import { KANNEL_SENDSMS_USER } from '../peer/kannel-config';
import { findKannel, startKannel } from '../peer/start-kannel';
import type { Figure, Scenario } from '../scenario';

// The accept scenario's message, to the same number; Kannel takes it in the query string, the way
// its clients call sendsms (user guide, "Using the HTTP interface to send SMS messages").
const TO = '573001234567';
const TEXT = 'Your verification code is 482913';
const API_BODY = JSON.stringify({ to: `+${TO}`, text: TEXT });

function sendsmsQuery(sendsmsUrl: string): string {
  const query = new URLSearchParams({ ...KANNEL_SENDSMS_USER, to: TO, text: TEXT });
  return `${sendsmsUrl}?${query.toString()}`;
}

/**
 * The gateway side by side with Kannel 1.4.5 (Debian's `kannel`), both storing each message
 * before answering 202 (Redis with appendfsync everysec; Kannel's store file) and both delivering
 * over HTTPS with keep-alive and 32 requests in flight to a Kaarai endpoint on the same machine:
 * the simulator for the gateway, for Kannel a sink that runs each GET through the simulator's
 * own checks and record (`bench/peer/kannel-sink.ts`). Accept: autocannon with the same
 * connections at smsbox's sendsms and at the API, rounds alternated, nothing delivering meanwhile
 * (the sink holds Kannel's requests; no worker runs). Delivery: the same backlog drained by each,
 * rounds alternated. CPU of every process of each side.
 */
export const kannelPeer: Scenario = {
  name: 'peer',
  title: 'Side by side with Kannel (accept and delivery, durable store, HTTPS)',
  run: async ({ sizes, log, profileDir, environment }) => {
    const binaries = findKannel();
    if (binaries === undefined) {
      return {
        figures: [],
        details: {},
        skipped: 'bearerbox (Kannel) is not on PATH; install Debian package kannel to compare',
      };
    }
    const { connections, warmupSeconds, seconds, rounds, messages, inFlight } = sizes.peer;
    const sink = spawnBenchChild('peer/kannel-sink.ts');
    let env: BenchEnvironment | undefined;
    try {
      const sinkInfo = await sink.next<KannelSinkInfo & { event: 'ready' }>('ready', 60_000);
      const sinkAdmin = new SimulatorAdmin(sinkInfo.adminUrl);
      env = await environment();

      const gatewayAccept: MeasuredLoad[] = [];
      const kannelAccept: MeasuredLoad[] = [];
      {
        // One after the other: the environment stops an API whose Kannel failed to start, not the reverse.
        const kannel = await startKannel({
          binaries,
          sinkUrl: sinkInfo.url,
          sinkCaFile: sinkInfo.caFile,
          inFlight,
        });
        const api = await env
          .startApi(profileDir === undefined ? {} : { cpuProfileDir: join(profileDir, 'api') })
          .catch(async (error: unknown) => {
            await kannel.stop();
            throw error;
          });
        sink.send('hold');
        await sink.next('holding', 10_000);
        try {
          const job = (url: string, round: number, extra: Partial<AutocannonJob>): AutocannonJob => ({
            url,
            method: 'GET',
            headers: {},
            connections,
            warmupSeconds: round === 0 ? warmupSeconds : 0,
            durationSeconds: seconds,
            ...extra,
          });
          for (let round = 0; round < rounds; round++) {
            log(
              `accept round ${round + 1} of ${rounds}: Kannel, then the gateway, ${connections} connections`,
            );
            kannelAccept.push(
              await runAutocannon(job(sendsmsQuery(kannel.sendsmsUrl), round, {}), {
                smsbox: kannel.smsboxPid,
                bearerbox: kannel.bearerboxPid,
                sink: sink.pid,
              }),
            );
            await settleRedis(env.connection);
            gatewayAccept.push(
              await runAutocannon(
                job(`${api.url}/v1/sms`, round, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json', authorization: `Bearer ${api.apiKey}` },
                  body: API_BODY,
                }),
                { api: api.pid, redis: env.redisPid, simulator: env.simulator.pid },
              ),
            );
          }
        } finally {
          sink.send('release');
          await sink.next('released', 10_000).catch(() => {});
          await Promise.all([api.stop(), kannel.stop()]);
        }
      }

      const kannelDrains: KannelDrain[] = [];
      const gatewayDrains: WorkerDrain[] = [];
      for (let round = 0; round < rounds; round++) {
        log(
          `delivery round ${round + 1} of ${rounds}: ${messages} messages drained by Kannel, then the gateway`,
        );
        kannelDrains.push(
          await drainKannel({
            binaries,
            sink,
            sinkInfo,
            sinkAdmin,
            sendsmsQuery,
            messages,
            connections,
            inFlight,
          }),
        );
        // A fresh queue: the accept rounds' messages (and the last round's) are not part of the backlog.
        await env.stop();
        env = await environment();
        gatewayDrains.push(
          await measureWorkerDrain(
            env,
            messages,
            {
              https: true,
              env: { WORKER_CONCURRENCY: String(inFlight / GATEWAY_WORKERS) },
              ...(profileDir !== undefined && round === 0 && { cpuProfileDir: join(profileDir, 'worker') }),
            },
            GATEWAY_WORKERS,
          ),
        );
      }
      return peerResult(
        { gateway: gatewayAccept, kannel: kannelAccept },
        { gateway: gatewayDrains, kannel: kannelDrains },
      );
    } finally {
      await sink.stop();
      await env?.stop();
    }
  },
};

// The gateway scales delivery with worker replicas, as Kubernetes runs it; two of them, with
// the 32 calls in flight shared between them, use the two cores that Kannel's threads use.
const GATEWAY_WORKERS = 2;
const GATEWAY_ACCEPT = ['api', 'redis', 'simulator'] as const;
const KANNEL_ACCEPT = ['smsbox', 'bearerbox', 'sink'] as const;
const GATEWAY_DELIVERY = ['worker', 'redis', 'simulator'] as const;
const KANNEL_DELIVERY = ['bearerbox', 'smsbox', 'sink'] as const;

function peerResult(
  accept: { readonly gateway: readonly MeasuredLoad[]; readonly kannel: readonly MeasuredLoad[] },
  delivery: { readonly gateway: readonly WorkerDrain[]; readonly kannel: readonly KannelDrain[] },
) {
  const gateway = combineRuns(accept.gateway, ...GATEWAY_ACCEPT);
  const kannel = combineRuns(accept.kannel, ...KANNEL_ACCEPT);
  const gatewayDrain = combineDrains(delivery.gateway, GATEWAY_DELIVERY);
  const kannelDrain = combineDrains(delivery.kannel, KANNEL_DELIVERY);
  const versus = (value: number) => ({ name: 'Kannel', value });
  const figures: Figure[] = [
    {
      figure: 'accepted/s',
      value: gateway.okPerSecond,
      unit: 'req/s',
      baseline: versus(kannel.okPerSecond),
      target: { on: 'ratio', op: '>=', limit: 0.5 },
    },
    {
      figure: 'accept CPU per message, all processes',
      value: gateway.cpuPerOk,
      unit: 'µs',
      baseline: versus(kannel.cpuPerOk),
      target: { on: 'ratio', op: '<=', limit: 2.5 },
    },
    { figure: 'accept p99 latency', value: gateway.p99, unit: 'ms', baseline: versus(kannel.p99) },
    {
      figure: 'delivered/s',
      value: gatewayDrain.messagesPerSecond,
      unit: 'msg/s',
      baseline: versus(kannelDrain.messagesPerSecond),
      target: { on: 'ratio', op: '>=', limit: 0.5 },
    },
    {
      figure: 'delivery CPU per message, all processes',
      value: gatewayDrain.cpuPerMessage,
      unit: 'µs',
      baseline: versus(kannelDrain.cpuPerMessage),
      target: { on: 'ratio', op: '<=', limit: 2.5 },
    },
  ];
  const perProcess = (runs: readonly MeasuredLoad[], names: readonly string[]) =>
    Object.fromEntries(names.map((name) => [name, combineRuns(runs, name).cpuPerOk]));
  return {
    figures,
    details: {
      accept: {
        gateway: { ...gateway, rounds: accept.gateway.map((run) => run.load) },
        kannel: { ...kannel, rounds: accept.kannel.map((run) => run.load) },
        cpuMicrosPerMessage: {
          gateway: perProcess(accept.gateway, GATEWAY_ACCEPT),
          kannel: perProcess(accept.kannel, KANNEL_ACCEPT),
        },
      },
      delivery: {
        gateway: { ...gatewayDrain, rounds: delivery.gateway },
        kannel: { ...kannelDrain, rounds: delivery.kannel },
      },
    },
  };
}

/** Drains added up: messages over the total time; CPU of each process and of all over every message. */
function combineDrains(
  drains: readonly {
    readonly messages: number;
    readonly elapsedMs: number;
    readonly cpuMicros: Record<string, number>;
  }[],
  names: readonly string[],
) {
  const messages = drains.reduce((sum, drain) => sum + drain.messages, 0);
  const elapsedMs = drains.reduce((sum, drain) => sum + drain.elapsedMs, 0);
  const cpuMicrosPerMessage = Object.fromEntries(
    names.map((name) => [
      name,
      drains.reduce((sum, drain) => sum + (drain.cpuMicros[name] ?? 0), 0) / messages,
    ]),
  );
  return {
    messagesPerSecond: (messages / elapsedMs) * 1000,
    cpuPerMessage: Object.values(cpuMicrosPerMessage).reduce((sum, value) => sum + value, 0),
    cpuMicrosPerMessage,
  };
}
