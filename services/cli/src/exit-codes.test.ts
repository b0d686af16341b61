import { EXIT_CODES, exitCodeOf, outcomeOfAnswer, worstOutcome } from './exit-codes';

describe('outcomeOfAnswer', () => {
  it.each([
    [400, 4003, 'refused'],
    [401, 4030, 'refused'],
    [403, 4032, 'refused'],
    [404, 4040, 'refused'],
    [404, 4041, 'notFound'],
    [404, 4042, 'notFound'],
    [404, undefined, 'refused'],
    [409, 4090, 'retry'],
    [409, 4091, 'refused'],
    [409, 4092, 'refused'],
    [413, 4130, 'refused'],
    [422, 4220, 'refused'],
    [429, 4290, 'retry'],
    [429, 4291, 'refused'],
    [301, undefined, 'refused'],
    [500, 5000, 'retry'],
    [502, undefined, 'retry'],
    [503, 5030, 'retry'],
  ] as const)('reads HTTP %i with code %p as %s', (status, code, outcome) => {
    expect(outcomeOfAnswer(status, code)).toBe(outcome);
  });
});

describe('exit codes', () => {
  it('keeps the numbers scripts rely on', () => {
    expect(
      Object.fromEntries(Object.entries(EXIT_CODES).map(([outcome, { code }]) => [outcome, code])),
    ).toEqual({
      done: 0,
      usage: 1,
      refused: 2,
      retry: 3,
      notFound: 4,
      internal: 70,
    });
    expect(exitCodeOf('notFound')).toBe(4);
  });

  it('reports the outcome to act on first when several requests ended differently', () => {
    expect(worstOutcome([])).toBe('done');
    expect(worstOutcome(['done', 'notFound'])).toBe('notFound');
    expect(worstOutcome(['notFound', 'refused', 'done'])).toBe('refused');
    expect(worstOutcome(['refused', 'retry', 'notFound'])).toBe('retry');
  });
});
