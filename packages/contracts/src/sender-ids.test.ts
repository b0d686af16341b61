import { isSenderIdAllowed, parseSenderIdPattern, type SenderIdPattern } from './sender-ids';

function patterns(...texts: string[]): SenderIdPattern[] {
  return texts.map((text) => {
    const pattern = parseSenderIdPattern(text);
    if ('problem' in pattern) throw new Error(pattern.problem);
    return pattern;
  });
}

describe('isSenderIdAllowed', () => {
  it.each([
    // list, from, allowed
    [['ACME'], 'ACME', true],
    [['ACME'], 'Acme', false],
    [['ACME'], 'acme', false],
    [['ACME'], 'ACME2', false],
    [['ACME'], 'ACM', false],
    [['ACME Shop'], 'ACME Shop', true],
    [['ACME Shop'], 'ACME  Shop', false],
    [['+573001234567'], '573001234567', true],
    [['+573001234567'], '+573001234567', true],
    [['573001234567'], '+573001234567', true],
    [['573001234567'], '5730012345678', false],
    [['85000'], '85000', true],
    [['+5730012*'], '573001234567', true],
    [['+5730012*'], '+573001299999', true],
    [['5730012*'], '5730012', true],
    [['+5730012*'], '573001334567', false],
    [['+5730012*'], '57300', false],
    [['+5730012*'], 'ACME', false],
    [['57*'], '573001234567', true],
    [['ACME', '+5730012*'], '573001200000', true],
    [['ACME', '+5730012*'], 'ACME', true],
    [['ACME', '+5730012*'], 'CRM', false],
    [[], 'ACME', false],
    [[], '573001234567', false],
  ] as const)('with %j, %p is allowed: %p', (list, from, allowed) => {
    expect(isSenderIdAllowed(from, patterns(...list))).toBe(allowed);
  });
});

describe('parseSenderIdPattern', () => {
  it.each([
    ['ACME', { kind: 'exact', sender: 'ACME' }],
    [' ACME ', { kind: 'exact', sender: 'ACME' }],
    ['+573001234567', { kind: 'exact', sender: '573001234567' }],
    ['+5730012*', { kind: 'numberPrefix', digits: '5730012' }],
    ['5*', { kind: 'numberPrefix', digits: '5' }],
  ])('reads %p', (text, pattern) => {
    expect(parseSenderIdPattern(text)).toEqual(pattern);
  });

  it.each([
    '*',
    '+*',
    'ACME*',
    '57*00',
    'ABCDEFGHIJKL',
    '12',
    '1234567890123456',
    '123456789012345*',
    'AC,ME',
    'AC|ME',
    '',
  ])('refuses %p, saying what a sender id is', (text) => {
    expect(parseSenderIdPattern(text)).toEqual({ problem: expect.stringContaining('is not a sender id') });
  });
});
