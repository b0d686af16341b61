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
    expect(run(['status', 'm1']).globals).toEqual({ json: false });
  });

  it.each([
    [['--help'], /^Usage: sms COMMAND/],
    [['-h'], /^Usage: sms COMMAND/],
    [['help'], /^Usage: sms COMMAND/],
    [['send', '--help'], /^Usage: sms send --to NUMBER --text TEXT \[options\]/],
    [['help', 'send'], /^Usage: sms send /],
    [['status', 'm1', '-h'], /^Usage: sms status ID\n/],
    [['dlq', '--help'], /^Usage: sms dlq COMMAND/],
    [['dlq', 'replay', '--help'], /^Usage: sms dlq replay ID\.\.\. \[options\]/],
    [['help', 'dlq', 'list'], /^Usage: sms dlq list \[options\]/],
    [['toString', '--help'], /^Usage: sms COMMAND/],
    [['help', 'constructor'], /^Usage: sms COMMAND/],
  ])('shows the help for %p', (argv, text) => {
    const parsed = parseArgs(argv);
    expect(parsed.kind).toBe('help');
    expect(parsed.kind === 'help' && parsed.text).toMatch(text);
  });

  it('asks for the version', () => {
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
  });

  it.each([
    [[], /^missing a command$/, /^Usage: sms COMMAND/],
    [['post'], /^unknown command "post"$/, /^Usage: sms COMMAND/],
    [['constructor'], /^unknown command "constructor"$/, /^Usage: sms COMMAND/],
    [['dlq'], /^missing a command: sms dlq list\|show\|replay\|delete$/, /^Usage: sms dlq COMMAND/],
    [
      ['dlq', 'purge'],
      /^unknown command "dlq purge"; expected sms dlq list\|show\|replay\|delete$/,
      /^Usage: sms dlq/,
    ],
    [['send', '--text', 'hi'], /^sms send needs --to$/, /^Usage: sms send/],
    [['send', '--to', '573001234567'], /^sms send needs --text$/, /^Usage: sms send/],
    [['send', '--to', '1', '--text', 'hi', 'extra'], /^sms send takes no arguments$/, /^Usage: sms send/],
    [
      ['send', '--to', '1', '--text', 'hi', '--reason', 'x'],
      /^sms send does not take --reason$/,
      /^Usage: sms send/,
    ],
    [['send', '--to', '1', '--text', 'hi', '--bogus'], /Unknown option '--bogus'/, /^Usage: sms send/],
    [['send', '--to'], /Option '--to <value>' argument missing/, /^Usage: sms send/],
    [['send', '--to', '1', '--to', '2', '--text', 'hi'], /^--to is given twice$/, /^Usage: sms send/],
    [
      ['send', '--to', '1', '--text', 'hi', '--valid-for', '1h'],
      /^sms send: --valid-for must be a whole number of seconds$/,
      /^Usage: sms send/,
    ],
    [
      ['send', '--to', '1', '--text', 'hi', '--idempotency-key', 'clé'],
      /^sms send: --idempotency-key must be printable ASCII, not empty$/,
      /^Usage: sms send/,
    ],
    [['status'], /^sms status takes ID$/, /^Usage: sms status ID/],
    [['status', 'a', 'b'], /^sms status takes ID$/, /^Usage: sms status ID/],
    [['status', ''], /^sms status: ID must not be empty$/, /^Usage: sms status ID/],
    [['dlq', 'replay'], /^sms dlq replay takes ID\.\.\.$/, /^Usage: sms dlq replay/],
    [['dlq', 'replay', 'm1', '--valid-for', '-5'], /argument is ambiguous/, /^Usage: sms dlq replay/],
    [['dlq', 'list', 'm1'], /^sms dlq list takes no arguments$/, /^Usage: sms dlq list/],
  ])('refuses %p', (argv, message, help) => {
    const parsed = parseArgs(argv);
    expect(parsed.kind).toBe('usage');
    if (parsed.kind !== 'usage') return;
    expect(parsed.message).toMatch(message);
    expect(parsed.help).toMatch(help);
  });
});
