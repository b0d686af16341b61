import { type RunningSimulator, startRedis, startSimulator, type TestRedis } from '@sms/testing';
import { type RunningApi, startApi, TEST_KEY } from '../../services/api/test/start-api';
import { startWorker, type WorkerUnderTest } from '../../services/worker/test/start-worker';

/** A gateway built from its real parts for one test file: Redis, the simulator over HTTPS, the API. */
export interface Gateway {
  readonly redis: TestRedis;
  readonly simulator: RunningSimulator;
  readonly api: RunningApi;
  /** Starts a worker (concurrency 8) on the API's queue; the test decides when, e.g. after a backlog. */
  startWorker(): Promise<WorkerUnderTest>;
  /** `DELETE /v1/sms/:id` with the API's test key. */
  cancel(id: string): Promise<Response>;
  stop(): Promise<void>;
}

export async function startGateway(): Promise<Gateway> {
  const [redis, simulator] = await Promise.all([startRedis(), startSimulator({ https: true })]);
  const api = await startApi(redis.url);
  const workers: WorkerUnderTest[] = [];
  return {
    redis,
    simulator,
    api,
    startWorker: async () => {
      const worker = await startWorker(redis.url, {
        kaaraiUrl: simulator.httpsUrl!,
        ca: simulator.ca!,
        prefix: api.prefix,
      });
      workers.push(worker);
      return worker;
    },
    cancel: (id) =>
      fetch(`${api.url}/v1/sms/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${TEST_KEY}` },
      }),
    stop: async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
      await api.stop();
      await simulator.stop();
      await redis.stop();
    },
  };
}
