import { parseArgs } from './parse-args';

describe('parseArgs', () => {
  it('reads a listing with every filter', () => {
    expect(
      parseArgs([
        'dlq',
        'list',
        '--reason',
        'expired',
        '--since=2024-05-01',
        '--until',
        '2024-05-02T00:00:00Z',
        '--limit',
        '20',
        '--json',
      ]),
    ).toEqual({
      ok: true,
      command: {
        name: 'list',
        request: { reason: 'expired', since: Date.UTC(2024, 4, 1), until: Date.UTC(2024, 4, 2), limit: 20 },
        json: true,
      },
    });
  });

  it.each([
    [['dlq', 'show', 'abc'], { name: 'show', id: 'abc', json: false }],
    [
      ['dlq', 'replay', 'abc', '--valid-for', '600'],
      { name: 'replay', id: 'abc', validFor: 600, json: false },
    ],
    [['dlq', 'replay', 'abc'], { name: 'replay', id: 'abc', json: false }],
    [
      ['dlq', 'replay-all', '--reason', 'rejected', '--yes'],
      { name: 'replay-all', filter: { reason: 'rejected' }, yes: true, json: false },
    ],
    [['dlq', 'replay-all'], { name: 'replay-all', filter: {}, yes: false, json: false }],
    [['dlq', 'delete', 'abc', '--json'], { name: 'delete', id: 'abc', json: true }],
    [['dlq', '--help'], { name: 'help' }],
    [['dlq', 'replay', '-h'], { name: 'help' }],
    [['--help'], { name: 'help' }],
  ])('reads %p', (argv, command) => {
    expect(parseArgs(argv)).toEqual({ ok: true, command });
  });

  it.each([
    [[], /unknown command ""/],
    [['queue', 'list'], /expected "dlq"/],
    [['dlq'], /missing a command/],
    [['dlq', 'purge'], /unknown command "dlq purge"/],
    [['dlq', 'list', '--reasons', 'expired'], /Unknown option '--reasons'/],
    [['dlq', 'list', '--reason'], /--reason/],
    [['dlq', 'list', 'abc'], /takes no arguments/],
    [
      ['dlq', 'list', '--reason', 'lost'],
      /^dlq list: --reason must be one of rejected, retries_exhausted, expired$/,
    ],
    [['dlq', 'list', '--limit', '1000'], /--limit must be a whole number from 1 to 500/],
    [['dlq', 'list', '--since', '2024-05-01T12:00'], /--since must be an ISO 8601 time/],
    [['dlq', 'show'], /needs exactly one message id/],
    [['dlq', 'show', 'a', 'b'], /needs exactly one message id/],
    [['dlq', 'replay', 'abc', '--valid-for', 'soon'], /--valid-for must be a whole number of seconds/],
    [['dlq', 'replay', 'abc', '--valid-for', '10'], /--valid-for must be a whole number of seconds from 30/],
    [['dlq', 'replay-all', '--limit', '5'], /Unknown option '--limit'/],
    [['dlq', 'delete', 'abc', '--yes'], /Unknown option '--yes'/],
  ])('refuses %p', (argv, message) => {
    const parsed = parseArgs(argv);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
});
