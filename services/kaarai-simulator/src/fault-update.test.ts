import { parseFaultUpdate } from './fault-update';
import { NO_FAULTS } from './simulator-faults';

const NOW = Date.parse('2030-01-01T00:00:00Z');

describe('parseFaultUpdate', () => {
  it('changes only the given faults', () => {
    const current = { ...NO_FAULTS, latencyMs: 50 };
    expect(parseFaultUpdate({ failNext: 2, dropRate: 0.25 }, current, NOW)).toEqual({
      ok: true,
      value: { ...current, failNext: 2, dropRate: 0.25 },
    });
  });

  it('starts an outage of outageMs from now and ends it with 0', () => {
    const started = parseFaultUpdate({ outageMs: 30_000 }, NO_FAULTS, NOW);
    expect(started).toMatchObject({ ok: true, value: { outageUntil: NOW + 30_000 } });
    const running = { ...NO_FAULTS, outageUntil: NOW + 30_000 };
    expect(parseFaultUpdate({ outageMs: 0 }, running, NOW)).toMatchObject({ value: { outageUntil: null } });
  });

  it('takes the outage end as an ISO time or null', () => {
    expect(parseFaultUpdate({ outageUntil: '2030-01-01T00:01:00Z' }, NO_FAULTS, NOW)).toMatchObject({
      value: { outageUntil: NOW + 60_000 },
    });
    expect(parseFaultUpdate({ outageUntil: null }, { ...NO_FAULTS, outageUntil: NOW }, NOW)).toMatchObject({
      value: { outageUntil: null },
    });
  });

  it('lists every invalid and unknown field and applies none of them', () => {
    const result = parseFaultUpdate(
      { failureRate: 2, failNext: -1, hangNext: 1.5, latencyMs: '100', outageUntil: 'soon', dropNxt: 1 },
      NO_FAULTS,
      NOW,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      'failureRate: must be a number from 0 to 1',
      'failNext: must be a whole number, 0 or more',
      'hangNext: must be a whole number, 0 or more',
      'latencyMs: must be a whole number of milliseconds from 0 to 600000',
      'outageUntil: must be an ISO 8601 time or null',
      expect.stringMatching(/^dropNxt: unknown field \(known: failureRate, failNext, .*dropNext/),
    ]);
  });

  it('refuses rates that add up to more than 1', () => {
    const result = parseFaultUpdate({ failureRate: 0.6 }, { ...NO_FAULTS, dropRate: 0.5 }, NOW);
    expect(result).toEqual({
      ok: false,
      problems: ['dropRate + hangRate + failureRate + loseAnswerRate: must add up to at most 1 (is 1.1)'],
    });
  });

  it('refuses outageMs together with outageUntil', () => {
    expect(parseFaultUpdate({ outageMs: 1, outageUntil: null }, NO_FAULTS, NOW).ok).toBe(false);
  });

  it.each([null, [], 'failNext', 3])('refuses a body that is not an object: %j', (body) => {
    expect(parseFaultUpdate(body, NO_FAULTS, NOW)).toEqual({
      ok: false,
      problems: ['body: must be a JSON object'],
    });
  });
});
