import { type AnswerContext, answerKaaraiRequest, type KaaraiRequest } from './answer-kaarai-request';
import { createSimulatorState, type SimulatorStateOptions } from './simulator-state';

const NOW = new Date('2030-01-01T00:00:00Z');
const AUTH = `Basic ${Buffer.from('gateway:secret').toString('base64')}`;

function setUp(options: SimulatorStateOptions = {}, draws: number[] = []) {
  const state = createSimulatorState(options, NOW);
  let ids = 0;
  const context: AnswerContext = {
    now: NOW,
    random: () => {
      const draw = draws.shift();
      if (draw === undefined) throw new Error('unexpected random draw');
      return draw;
    },
    newId: () => `id-${++ids}`,
  };
  const answer = (overrides: Partial<KaaraiRequest> = {}) =>
    answerKaaraiRequest(
      state,
      {
        method: 'POST',
        path: '/api/v1/sms/send',
        contentType: 'application/json',
        authorization: AUTH,
        body: '{"to":"573001234567","text":"hello","from":"8123"}',
        ...overrides,
      },
      context,
    );
  return { state, answer };
}

describe('answerKaaraiRequest', () => {
  it('accepts a valid message with 2020 and records it', () => {
    const { state, answer } = setUp();
    expect(answer()).toEqual({ kind: 'answer', code: 2020, message: 'Accepted for delivery', delayMs: 0 });
    expect(state.record.list()).toEqual([
      {
        id: 'id-1',
        to: '573001234567',
        from: '8123',
        text: 'hello',
        code: 2020,
        receivedAt: NOW.toISOString(),
        authUser: 'gateway',
      },
    ]);
  });

  it('answers 2021 for the queued share of accepted messages', () => {
    const { state, answer } = setUp({ settings: { queuedShare: 0.5 } }, [0.4, 0.6]);
    expect([answer(), answer()]).toMatchObject([{ code: 2021 }, { code: 2020 }]);
    expect(state.record.list().map((m) => m.code)).toEqual([2021, 2020]);
  });

  it('answers 4040 to another path or method, without faults', () => {
    const { state, answer } = setUp({ faults: { failNext: 5, latencyMs: 100 } });
    expect(answer({ path: '/api/v1/sms/sendx' })).toMatchObject({ code: 4040, delayMs: 0 });
    expect(answer({ method: 'GET' })).toMatchObject({ code: 4040, message: 'Unknown request' });
    expect(state.faults.failNext).toBe(5);
  });

  it('serves a configured send path', () => {
    const { answer } = setUp({ sendPath: '/send' });
    expect(answer({ path: '/send' })).toMatchObject({ code: 2020 });
    expect(answer()).toMatchObject({ code: 4040 });
  });

  it('records only accepted messages', () => {
    const { state, answer } = setUp({ settings: { blockedPrefixes: ['57'] } });
    answer();
    answer({ body: '{}' });
    answer({ authorization: undefined });
    expect(state.record.total).toBe(0);
  });

  it('applies faults before looking at credentials or body', () => {
    const { state, answer } = setUp({ faults: { failNext: 1 } });
    expect(answer({ authorization: undefined, body: 'not json' })).toMatchObject({ code: 5030 });
    expect(answer({ authorization: undefined })).toMatchObject({ code: 4030 });
    expect(state.record.total).toBe(0);
  });

  it('answers 5030 during an outage', () => {
    const { answer } = setUp({ faults: { outageMs: 1000 } });
    expect(answer()).toEqual({
      kind: 'answer',
      code: 5030,
      message: 'Temporal failure, try again later',
      delayMs: 0,
    });
  });

  it('adds the latency to answers and resets', () => {
    const { answer } = setUp({ faults: { latencyMs: 250, dropNext: 1 } });
    expect(answer()).toEqual({ kind: 'reset', delayMs: 250 });
    expect(answer()).toMatchObject({ kind: 'answer', code: 2020, delayMs: 250 });
  });

  it('holds a hung request without recording it', () => {
    const { state, answer } = setUp({ faults: { hangNext: 1 } });
    expect(answer()).toEqual({ kind: 'hang' });
    expect(state.record.total).toBe(0);
    expect(state.stats.snapshot()).toMatchObject({ requests: 1, hung: 1, answers: {} });
  });

  it('resets a dropped request without recording it', () => {
    const { state, answer } = setUp({ faults: { dropNext: 1 } });
    expect(answer()).toEqual({ kind: 'reset', delayMs: 0 });
    expect(state.record.total).toBe(0);
    expect(state.stats.snapshot()).toMatchObject({ dropped: 1 });
  });

  it('records a message whose answer is lost, and resets instead of answering', () => {
    const { state, answer } = setUp({ faults: { loseAnswerNext: 1 } });
    expect(answer()).toEqual({ kind: 'reset', delayMs: 0 });
    expect(state.record.list()).toMatchObject([{ to: '573001234567', code: 2020 }]);
    expect(state.stats.snapshot()).toMatchObject({ answersLost: 1, answers: {} });
  });

  it('counts requests and answers by code', () => {
    const { state, answer } = setUp({ faults: { failNext: 1 } });
    answer();
    answer();
    answer({ body: '{}' });
    answer({ path: '/' });
    expect(state.stats.snapshot()).toMatchObject({
      requests: 4,
      answers: { 2020: 1, 4001: 1, 4040: 1, 5030: 1 },
    });
  });
});
