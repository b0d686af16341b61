import { sendOutcomeOf, sendResultOf } from './send-outcome';
import { SEND_OUTCOMES } from './send-outcome-handlers';

const calm = { circuitOpen: false, lastAttempt: false };

describe('sendOutcomeOf', () => {
  it.each([
    ['succeed', calm, 'sent'],
    ['succeed', { circuitOpen: true, lastAttempt: true }, 'sent'],
    ['dead_letter', calm, 'rejected'],
    ['dead_letter', { circuitOpen: false, lastAttempt: true }, 'rejected'],
    ['hold', calm, 'held'],
    ['hold', { circuitOpen: true, lastAttempt: true }, 'held'],
    ['retry', calm, 'retry'],
    ['retry', { circuitOpen: false, lastAttempt: true }, 'retries_exhausted'],
    // An open circuit keeps the attempt, the last one too: Kaarai is down, not the message.
    ['retry', { circuitOpen: true, lastAttempt: false }, 'circuit_open'],
    ['retry', { circuitOpen: true, lastAttempt: true }, 'circuit_open'],
  ] as const)('turns %s (%o) into %s', (action, failure, outcome) => {
    expect(sendOutcomeOf(action, failure)).toBe(outcome);
  });
});

it('counts every outcome under the label sms_provider_answers_total has always used', () => {
  const labels = Object.fromEntries(
    Object.entries(SEND_OUTCOMES).map(([outcome, { answer }]) => [outcome, answer]),
  );
  expect(labels).toEqual({
    sent: 'success',
    rejected: 'dead_letter',
    held: 'hold',
    circuit_open: 'circuit_open',
    retries_exhausted: 'dead_letter',
    retry: 'retry',
  });
});

describe('sendResultOf', () => {
  it("keeps Kaarai's code, and names a failure by it", () => {
    const answered = {
      type: 'answered',
      action: 'retry',
      code: 5030,
      message: 'Temporal failure',
      httpStatus: 503,
      durationMs: 12,
    } as const;
    expect(sendResultOf(answered, 2, false)).toEqual({
      outcome: answered,
      code: 5030,
      reason: '5030',
      last: { attempts: 2, lastCode: 5030, lastMessage: 'Temporal failure' },
      isProbe: false,
    });
  });

  it('gives code 0 to a call without an answer, named by why none came', () => {
    const noAnswer = {
      type: 'no_answer',
      action: 'retry',
      reason: 'timeout',
      requestSent: true,
      message: 'timeout of 1000ms exceeded',
      durationMs: 1_000,
    } as const;
    expect(sendResultOf(noAnswer, 1, true)).toMatchObject({
      code: 0,
      reason: 'timeout',
      last: { attempts: 1, lastCode: 0, lastMessage: 'timeout of 1000ms exceeded' },
      isProbe: true,
    });
  });
});
