import { parseArgs } from './parse-args';

const run = (argv: string[]) => {
  const parsed = parseArgs(argv);
  if (parsed.kind !== 'run') throw new Error(`expected a command, got ${JSON.stringify(parsed)}`);
  return parsed;
};

describe('parseArgs', () => {
  it('reads a send with every field, converting only --valid-for to a number', () => {
    expect(
      run([
        'send',
        '--to',
        '+573001234567',
        '--text',
        'Your code is 1234',
        '--from=ACME',
        '--valid-for',
        '600',
        '--priority',
        'high',
        '--delivery',
        'at-most-once',
        '--send-at',
        '2030-05-01T09:00:00Z',
        '--reference',
        'order-17',
        '--idempotency-key',
        'k-1',
      ]).command,
    ).toEqual({
      name: 'send',
      fields: {
        to: '+573001234567',
        text: 'Your code is 1234',
        from: 'ACME',
        validFor: 600,
        priority: 'high',
        delivery: 'at-most-once',
        sendAt: '2030-05-01T09:00:00Z',
        reference: 'order-17',
      },
      idempotencyKey: 'k-1',
    });
  });

  it('leaves the text to standard input with --text -', () => {
    expect(run(['send', '--to', '573001234567', '--text', '-']).command).toEqual({
      name: 'send',
      fields: { to: '573001234567' },
    });
  });

  it('passes values the API judges as they were typed', () => {
    expect(run(['send', '--to', 'abc', '--text', ' ', '--priority', 'urgent']).command).toMatchObject({
      fields: { to: 'abc', text: ' ', priority: 'urgent' },
    });
  });

  it.each([
    [['status', 'm1'], { name: 'status', id: 'm1' }],
    [['cancel', 'm1'], { name: 'cancel', id: 'm1' }],
    [['find', 'order-17'], { name: 'find', reference: 'order-17' }],
    [['dlq', 'list'], { name: 'dlq list', query: {} }],
    [
      ['dlq', 'list', '--reason', 'expired', '--since', '2024-05-01', '--limit', '20', '--cursor', 'C'],
      { name: 'dlq list', query: { reason: 'expired', since: '2024-05-01', limit: '20', cursor: 'C' } },
    ],
    [['dlq', 'show', 'm1'], { name: 'dlq show', id: 'm1' }],
    [['dlq', 'replay', 'm1', 'm2'], { name: 'dlq replay', ids: ['m1', 'm2'] }],
    [['dlq', 'replay', 'm1', '--valid-for', '3600'], { name: 'dlq replay', ids: ['m1'], validFor: 3600 }],
    [['dlq', 'delete', 'm1'], { name: 'dlq delete', id: 'm1' }],
  ])('reads %p', (argv, command) => {
    expect(run(argv).command).toEqual(command);
  });

  it('takes the global options before or after the command', () => {
    const globals = {
      url: 'http://api:8080',
      key: 'client-key',
      adminKey: 'admin-key',
      timeout: '2.5',
      json: true,
      direct: false,
    };
    expect(
      run([
        '--url',
        'http://api:8080',
        '--json',
        'status',
        'm1',
        '--key=client-key',
        '--admin-key',
        'admin-key',
        '--timeout',
        '2.5',
      ]).globals,
    ).toEqual(globals);
    expect(run(['status', 'm1']).globals).toEqual({ json: false, direct: false });
  });

  it('reads replay-all and the way to the dead letters the same for every dlq command', () => {
    expect(
      run([
        'dlq',
        'replay-all',
        '--reason',
        'rejected',
        '--since',
        '2024-05-01',
        '--valid-for',
        '600',
        '--yes',
      ]),
    ).toEqual({
      kind: 'run',
      command: {
        name: 'dlq replay-all',
        filter: { reason: 'rejected', since: '2024-05-01' },
        validFor: 600,
        yes: true,
      },
      globals: { json: false, direct: false },
    });
    expect(run(['dlq', 'replay-all']).command).toEqual({ name: 'dlq replay-all', filter: {}, yes: false });
    for (const name of ['list', 'show m1', 'replay m1', 'replay-all', 'delete m1']) {
      const argv = ['dlq', ...name.split(' '), '--direct', '--redis-url', 'redis://r:6380', '--json'];
      expect(run(argv).globals).toEqual({ json: true, direct: true, redisUrl: 'redis://r:6380' });
    }
  });

  const exit = (argv: string[]) => {
    const parsed = parseArgs(argv);
    if (parsed.kind !== 'exit') throw new Error(`expected an exit, got ${JSON.stringify(parsed)}`);
    return parsed;
  };

  it.each([
    [['--help'], /^Usage: sms COMMAND/],
    [['-h'], /^Usage: sms COMMAND/],
    [['help'], /^Usage: sms COMMAND/],
    [['send', '--help'], /^Usage: sms send --to NUMBER --text TEXT \[options\]/],
    [['help', 'send'], /^Usage: sms send /],
    [['status', 'm1', '-h'], /^Usage: sms status ID\n/],
    [['dlq', '--help'], /^Usage: sms dlq COMMAND/],
    [['dlq', 'replay', '--help'], /^Usage: sms dlq replay ID\.\.\. \[options\]/],
    [['dlq', 'replay-all', '--help'], /^Usage: sms dlq replay-all \[options\]/],
    [['help', 'dlq', 'list'], /^Usage: sms dlq list \[options\]/],
    [['toString', '--help'], /^Usage: sms COMMAND/],
    [['help', 'constructor'], /^Usage: sms COMMAND/],
  ])('shows the help for %p on stdout, exit 0', (argv, text) => {
    const parsed = exit(argv);
    expect(parsed).toMatchObject({ exitCode: 0, stderr: '' });
    expect(parsed.stdout).toMatch(text);
  });

  it('prints the version', () => {
    expect(exit(['--version'])).toEqual({ kind: 'exit', exitCode: 0, stdout: '0.1.0', stderr: '' });
  });

  it.each([
    [[], /^Usage: sms COMMAND/],
    [['post'], /^sms: unknown command 'post'/],
    [['constructor'], /^sms: unknown command 'constructor'\n\nUsage: sms COMMAND/],
    [['dlq'], /^Usage: sms dlq COMMAND/],
    [['dlq', 'purge'], /^sms: unknown command 'purge'\n\nUsage: sms dlq COMMAND/],
    [['send', '--text', 'hi'], /^sms: sms send needs --to\n\nUsage: sms send/],
    [['send', '--to', '573001234567'], /^sms: sms send needs --text\n\nUsage: sms send/],
    [['send', '--to', '1', '--text', 'hi', 'extra'], /^sms: too many arguments for 'send'/],
    [['send', '--to', '1', '--text', 'hi', '--reason', 'x'], /^sms: unknown option '--reason'/],
    [['send', '--to', '1', '--text', 'hi', '--bogus'], /^sms: unknown option '--bogus'/],
    [['send', '--to', '1', '--text', 'hi', '--direct'], /^sms: unknown option '--direct'/],
    [['send', '--to'], /^sms: option '--to <NUMBER>' argument missing\n\nUsage: sms send/],
    [['send', '--to', '1', '--to', '2', '--text', 'hi'], /--to is given twice/],
    [
      ['send', '--to', '1', '--text', 'hi', '--valid-for', '1h'],
      /^sms: sms send: --valid-for must be a whole number of seconds\n\nUsage: sms send/,
    ],
    [
      ['send', '--to', '1', '--text', 'hi', '--idempotency-key', 'clé'],
      /^sms: sms send: --idempotency-key must be printable ASCII, not empty/,
    ],
    [['status'], /^sms: missing required argument 'id'\n\nUsage: sms status ID/],
    [['status', 'a', 'b'], /^sms: too many arguments for 'status'/],
    [['status', ''], /^sms: sms status: its arguments must not be empty\n\nUsage: sms status ID/],
    [['dlq', 'replay'], /^sms: missing required argument 'id'\n\nUsage: sms dlq replay/],
    [['dlq', 'replay', 'm1', '--valid-for', '-5'], /--valid-for must be a whole number of seconds/],
    [['dlq', 'replay-all', '--valid-for', 'soon'], /--valid-for must be a whole number of seconds/],
    [['dlq', 'replay-all', '--limit', '5'], /^sms: unknown option '--limit'/],
    [['dlq', 'delete', 'm1', '--yes'], /^sms: unknown option '--yes'/],
    [['dlq', 'list', 'm1'], /^sms: too many arguments for 'list'/],
    [['dlq', 'list', '--redis-url', 'redis://r'], /^sms: sms dlq list: --redis-url is for --direct only/],
  ])('refuses %p with the usage exit code, the help following', (argv, message) => {
    const parsed = exit(argv);
    expect(parsed).toMatchObject({ exitCode: 1, stdout: '' });
    expect(parsed.stderr).toMatch(message);
  });
});
