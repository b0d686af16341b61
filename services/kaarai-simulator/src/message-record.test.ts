import type { SimulatorMessage } from '@sms/kaarai-simulator-wire';
import { MessageRecord } from './message-record';

function message(n: number, to = '573001234567'): SimulatorMessage {
  return {
    id: `m${n}`,
    to,
    from: null,
    text: `text ${n}`,
    code: 2020,
    receivedAt: new Date(n).toISOString(),
    authUser: 'gateway',
  };
}

describe('MessageRecord', () => {
  it('lists messages oldest first', () => {
    const record = new MessageRecord(10);
    for (const n of [1, 2, 3]) record.add(message(n));
    expect(record.list().map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
  });

  it('forgets the oldest messages past its limit and keeps counting the total', () => {
    const record = new MessageRecord(3);
    for (let n = 1; n <= 7; n++) record.add(message(n));
    expect(record.list().map((m) => m.id)).toEqual(['m5', 'm6', 'm7']);
    expect(record.size).toBe(3);
    expect(record.total).toBe(7);
  });

  it('filters by receiver number', () => {
    const record = new MessageRecord(10);
    record.add(message(1, '111111111'));
    record.add(message(2, '222222222'));
    record.add(message(3, '111111111'));
    expect(record.list({ to: '111111111' }).map((m) => m.id)).toEqual(['m1', 'm3']);
  });

  it('starts over when cleared', () => {
    const record = new MessageRecord(2);
    for (let n = 1; n <= 3; n++) record.add(message(n));
    record.clear();
    record.add(message(4));
    expect(record.list().map((m) => m.id)).toEqual(['m4']);
    expect(record.total).toBe(1);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new MessageRecord(0)).toThrow(RangeError);
  });
});
