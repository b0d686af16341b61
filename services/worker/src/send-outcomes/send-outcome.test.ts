import type { NoAnswerReason } from '@sms/contracts';
import { mayHaveReachedKaarai, sendOutcomeOf, sendResultOf } from './send-outcome';
import { SEND_OUTCOMES } from './send-outcome-handlers';

const answered = {
  type: 'answered',
  action: 'retry',
  code: 5030,
  message: 'Temporal failure',
  httpStatus: 503,
  durationMs: 12,
} as const;

const calm = { circuitOpen: false, lastAttempt: false, mayHaveReachedKaarai: false };
const unsure = { ...calm, mayHaveReachedKaarai: true };

describe('sendOutcomeOf', () => {
  it.each([
    ['succeed', calm, 'sent'],
    ['succeed', { ...calm, circuitOpen: true, lastAttempt: true }, 'sent'],
    ['dead_letter', calm, 'rejected'],
    ['dead_letter', { ...calm, lastAttempt: true }, 'rejected'],
    ['hold', calm, 'held'],
    ['hold', { ...calm, circuitOpen: true, lastAttempt: true }, 'held'],
    ['retry', calm, 'retry'],
    ['retry', { ...calm, lastAttempt: true }, 'retries_exhausted'],
    // An open circuit keeps the attempt, the last one too: Kaarai is down, not the message.
    ['retry', { ...calm, circuitOpen: true }, 'circuit_open'],
    ['retry', { ...calm, circuitOpen: true, lastAttempt: true }, 'circuit_open'],
    // An at-most-once message that Kaarai may have is never retried, whatever else holds.
    ['retry', unsure, 'unknown'],
    ['retry', { ...unsure, lastAttempt: true }, 'unknown'],
    ['retry', { ...unsure, circuitOpen: true }, 'unknown'],
    // An answer is an answer: it says what Kaarai did, so nothing is unknown.
    ['succeed', unsure, 'sent'],
    ['dead_letter', unsure, 'rejected'],
    ['hold', unsure, 'held'],
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
    unknown: 'unknown',
  });
});

describe('mayHaveReachedKaarai', () => {
  const noAnswer = (reason: NoAnswerReason, requestSent: boolean) =>
    ({ type: 'no_answer', action: 'retry', reason, requestSent, message: reason, durationMs: 1 }) as const;
  it.each([
    // The request was written: Kaarai may have it.
    ['at-most-once', noAnswer('timeout', true), true],
    ['at-most-once', noAnswer('connection_dropped', true), true],
    // It never left: retried as always.
    ['at-most-once', noAnswer('connect_timeout', false), false],
    ['at-most-once', noAnswer('connection_failed', false), false],
    ['at-most-once', noAnswer('tls', false), false],
    // Kaarai answered 5030: it does not have the message.
    ['at-most-once', answered, false],
    // at-least-once, given or by default, retries whatever happened.
    ['at-least-once', noAnswer('timeout', true), false],
    [undefined, noAnswer('timeout', true), false],
  ] as const)('for %s after %o: %s', (delivery, outcome, expected) => {
    expect(mayHaveReachedKaarai(outcome, delivery)).toBe(expected);
  });
});

describe('sendResultOf', () => {
  it("keeps Kaarai's code, and names a failure by it", () => {
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
