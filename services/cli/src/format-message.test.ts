import { formatAccepted, formatCanceled, formatFound, formatStatus } from './format-message';

const view = {
  id: 'm1',
  status: 'accepted' as const,
  to: '5730******67',
  attempts: 1,
  lastCode: 2020,
  lastMessage: 'Accepted for delivery',
  priority: 'normal' as const,
  delivery: 'at-least-once' as const,
  encoding: 'GSM-7' as const,
  segments: 1,
  createdAt: '2024-05-01T12:00:00.000Z',
  updatedAt: '2024-05-01T12:00:01.000Z',
};

describe('formatStatus', () => {
  it('prints one field a line, leaving out what the message does not have', () => {
    expect(formatStatus(view)).toBe(
      [
        'id          m1',
        'status      accepted',
        'to          5730******67',
        'attempts    1',
        'last code   2020 Accepted for delivery',
        'priority    normal',
        'parts       1 (GSM-7)',
        'created at  2024-05-01T12:00:00.000Z',
        'updated at  2024-05-01T12:00:01.000Z',
      ].join('\n'),
    );
  });

  it('shows the options of a scheduled message', () => {
    const { lastCode: _, lastMessage: __, ...scheduled } = view;
    const text = formatStatus({
      ...scheduled,
      status: 'scheduled',
      attempts: 0,
      priority: 'high',
      delivery: 'at-least-once',
      reference: 'order-17',
      sendAt: '2030-05-01T09:00:00.000Z',
    });
    expect(text).toContain('reference   order-17');
    expect(text).toContain('send at     2030-05-01T09:00:00.000Z');
    expect(text).not.toContain('last code');
  });
});

describe('formatAccepted', () => {
  it('prints the id and status, and says when an earlier request made the message', () => {
    const accepted = {
      id: 'm1',
      status: 'queued' as const,
      priority: 'normal' as const,
      delivery: 'at-least-once' as const,
      segments: 2,
      encoding: 'UCS-2' as const,
    };
    expect(formatAccepted(accepted, false)).toBe(
      ['id        m1', 'status    queued', 'priority  normal', 'parts     2 (UCS-2)'].join('\n'),
    );
    expect(formatAccepted(accepted, true)).toMatch(
      /\nnote {6}sent before with this --idempotency-key: no new message was made$/,
    );
  });
});

describe('formatCanceled and formatFound', () => {
  it('confirms a cancel', () => {
    expect(formatCanceled({ ...view, status: 'canceled' })).toBe('Canceled m1: it will not be sent.');
  });

  it('lists the messages of a reference, or says there are none', () => {
    expect(formatFound({ reference: 'order-17', messages: [] })).toBe('No message with reference order-17.');
    expect(formatFound({ reference: 'order-17', messages: [view] }).split('\n')).toEqual([
      'ID  STATUS    TO            ATTEMPTS  LAST CODE  SEND AT  UPDATED AT',
      'm1  accepted  5730******67  1         2020       -        2024-05-01T12:00:01.000Z',
    ]);
  });
});
