import { waitFor } from '@sms/testing';
import { createSimulator, type Simulator, type SimulatorAddress } from '../src/create-simulator';
import { NO_FAULTS, type SimulatorFaults } from '../src/simulator-faults';
import { requestError, sendRequest } from './send-request';

// Each fault of the send endpoint, seen from a client of a real server.
describe('fault injection', () => {
  let simulator: Simulator;
  let address: SimulatorAddress;

  beforeAll(async () => {
    simulator = createSimulator();
    address = await simulator.listen();
  });

  afterAll(() => simulator.close());

  beforeEach(() => {
    simulator.state.faults = NO_FAULTS;
    simulator.state.record.clear();
    simulator.state.stats.clear();
  });

  function setFaults(faults: Partial<SimulatorFaults>): void {
    simulator.state.faults = { ...NO_FAULTS, ...faults };
  }

  async function codes(count: number): Promise<number[]> {
    const answers: number[] = [];
    for (let i = 0; i < count; i++) answers.push(JSON.parse((await sendRequest(address.sendUrl)).body).code);
    return answers;
  }

  it('answers 5030 to the next N requests, then accepts again', async () => {
    setFaults({ failNext: 2 });
    const first = await sendRequest(address.sendUrl);
    expect([first.status, JSON.parse(first.body)]).toEqual([
      503,
      { code: 5030, message: 'Temporal failure, try again later' },
    ]);
    expect([5030, ...(await codes(2))]).toEqual([5030, 5030, 2020]);
    expect(simulator.state.record.total).toBe(1);
  });

  it('answers 5030 to everything during an outage, even bad credentials, until it ends', async () => {
    setFaults({ outageUntil: Date.now() + 60_000 });
    expect(await codes(3)).toEqual([5030, 5030, 5030]);
    expect(JSON.parse((await sendRequest(address.sendUrl, { auth: null })).body).code).toBe(5030);
    setFaults({ outageUntil: Date.now() - 1 });
    expect(await codes(1)).toEqual([2020]);
  });

  it('fails every request at failure rate 1', async () => {
    setFaults({ failureRate: 1 });
    expect(await codes(3)).toEqual([5030, 5030, 5030]);
  });

  it('waits the latency before answering', async () => {
    setFaults({ latencyMs: 300 });
    const started = performance.now();
    const answer = await sendRequest(address.sendUrl);
    // Timers may fire a millisecond early after rounding; never much earlier.
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    expect(answer.status).toBe(202);
  });

  it('records a message whose answer a client stopped waiting for', async () => {
    setFaults({ latencyMs: 60_000 });
    const giveUp = new AbortController();
    const answer = requestError(sendRequest(address.sendUrl, { signal: giveUp.signal }));
    // Kaarai took the message on arrival; only its answer is late. This is how duplicates arise.
    await waitFor(() => simulator.state.record.total === 1, { description: 'the message in the record' });
    giveUp.abort();
    expect((await answer).name).toBe('AbortError');
    expect(simulator.state.record.total).toBe(1);
  });

  it('never answers a hung request, so the client times out', async () => {
    setFaults({ hangNext: 1 });
    // Long enough that on a loaded machine the server has read the request before the client gives up.
    const error = await requestError(sendRequest(address.sendUrl, { timeoutMs: 1000 }));
    expect(error.code).toBe('CLIENT_TIMEOUT');
    expect(simulator.state.stats.snapshot()).toMatchObject({ hung: 1, answers: {} });
    expect(simulator.state.record.total).toBe(0);
    expect(await codes(1)).toEqual([2020]);
  });

  it('resets the connection of a dropped request without recording it', async () => {
    setFaults({ dropNext: 1 });
    const error = await requestError(sendRequest(address.sendUrl));
    expect(error.code).toBe('ECONNRESET');
    expect(simulator.state.stats.snapshot()).toMatchObject({ dropped: 1 });
    expect(simulator.state.record.total).toBe(0);
  });

  it('records a message whose answer is lost, and resets the connection', async () => {
    setFaults({ loseAnswerNext: 1 });
    const error = await requestError(sendRequest(address.sendUrl));
    expect(error.code).toBe('ECONNRESET');
    expect(simulator.state.record.list()).toMatchObject([{ code: 2020 }]);
    expect(simulator.state.stats.snapshot()).toMatchObject({ answersLost: 1 });
  });
});

describe('closing with requests in flight', () => {
  it('cuts hung requests at once instead of waiting for their clients', async () => {
    const simulator = createSimulator({ faults: { hangNext: 2 }, closeGraceMs: 60_000 });
    const address = await simulator.listen();
    const pending = [requestError(sendRequest(address.sendUrl)), requestError(sendRequest(address.sendUrl))];
    await waitFor(() => simulator.state.stats.snapshot().hung === 2, { description: 'two hung requests' });

    const started = performance.now();
    await simulator.close();
    // Far below the grace period: nothing waited for the hung requests.
    expect(performance.now() - started).toBeLessThan(10_000);
    for (const error of await Promise.all(pending)) expect(error.code).toBe('ECONNRESET');
  });

  it('lets an answer waiting out its latency finish within the grace period', async () => {
    const simulator = createSimulator({ faults: { latencyMs: 300 }, closeGraceMs: 30_000 });
    const address = await simulator.listen();
    const answer = sendRequest(address.sendUrl);
    await waitFor(() => simulator.state.stats.snapshot().requests === 1, { description: 'the request' });
    await simulator.close();
    expect((await answer).status).toBe(202);
  });

  it('cuts answers still waiting after the grace period', async () => {
    const simulator = createSimulator({ faults: { latencyMs: 60_000 }, closeGraceMs: 100 });
    const address = await simulator.listen();
    const answer = requestError(sendRequest(address.sendUrl));
    await waitFor(() => simulator.state.stats.snapshot().requests === 1, { description: 'the request' });
    const started = performance.now();
    await simulator.close();
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await answer).code).toBe('ECONNRESET');
  });
});
