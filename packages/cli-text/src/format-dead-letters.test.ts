import type { DeadLetterDetails } from '@sms/dead-letters';
import {
  formatDetails,
  formatList,
  formatReplay,
  formatReplayAll,
  formatReplayAllRefused,
} from './format-dead-letters';

const summary = {
  id: 'f3b0c1d2-0000-4000-8000-000000000001',
  reason: 'rejected' as const,
  code: 4031,
  message: 'Not routable',
  attempts: 1,
  client: 'billing',
  to: '5730******67',
  deadLetteredAt: '2024-05-01T12:00:00.000Z',
};

describe('formatList', () => {
  it('prints a table, the counts and how to get the next page', () => {
    const text = formatList({ items: [summary], total: 3, nextCursor: 'CURSOR' });
    expect(text.split('\n')).toEqual([
      'DEAD-LETTERED AT          ID                                    REASON    CODE  ATTEMPTS  CLIENT   TO            MESSAGE',
      '2024-05-01T12:00:00.000Z  f3b0c1d2-0000-4000-8000-000000000001  rejected  4031  1         billing  5730******67  Not routable',
      '',
      '1 shown, 3 matching. Next page: --cursor CURSOR',
    ]);
  });

  it('marks an entry whose replay was interrupted, and a missing code', () => {
    const { code: _, ...withoutCode } = summary;
    const text = formatList({ items: [{ ...withoutCode, replayInterrupted: true }], total: 1 });
    expect(text).toContain('  -  ');
    expect(text).toContain('(replay interrupted) Not routable');
    expect(text).toMatch(/1 shown, 1 matching\.$/);
  });

  it('says when nothing matches', () => {
    expect(formatList({ items: [], total: 0 })).toBe('No dead letters match.');
  });
});

describe('formatDetails', () => {
  const details: DeadLetterDetails = {
    id: summary.id,
    reason: 'rejected',
    code: 4031,
    message: 'Not routable',
    attempts: 1,
    client: 'billing',
    deadLetteredAt: '2024-05-01T12:00:00.000Z',
    payload: {
      to: '573001234567',
      text: 'Your code is 1234\nBye \u001b[2J',
      client: 'billing',
      acceptedAt: '2024-05-01T11:59:59.000Z',
    },
    history: [
      {
        attempt: 1,
        code: 4031,
        outcome: 'rejected',
        message: 'Not routable',
        at: '2024-05-01T12:00:00.000Z',
      },
    ],
    status: {
      status: 'dead_lettered',
      attempts: 1,
      lastCode: 4031,
      createdAt: '2024-05-01T11:59:59.000Z',
      updatedAt: '2024-05-01T12:00:00.000Z',
    },
  };

  it('prints the fields, the whole text (control characters shown) and the history', () => {
    expect(formatDetails(details)).toBe(
      [
        `id                ${summary.id}`,
        'reason            rejected (code 4031): Not routable',
        'dead-lettered at  2024-05-01T12:00:00.000Z',
        'attempts          1',
        'to                573001234567',
        'client            billing',
        'accepted at       2024-05-01T11:59:59.000Z',
        'status            dead_lettered, 1 attempt(s), last code 4031, updated 2024-05-01T12:00:00.000Z',
        '',
        'text:',
        '  Your code is 1234',
        '  Bye \\u{1b}[2J',
        '',
        'history:',
        'ATTEMPT  AT                        OUTCOME   CODE  MESSAGE',
        '1        2024-05-01T12:00:00.000Z  rejected  4031  Not routable',
      ].join('\n'),
    );
  });
});

describe('replay results', () => {
  it.each([
    [
      { outcome: 'replayed', id: 'm1', expiresAt: '2024-05-01T13:00:00.000Z' },
      /^Replayed m1; valid until 2024/,
    ],
    [{ outcome: 'not_found', id: 'm1' }, /^m1 is not in the dead-letter queue/],
    [{ outcome: 'busy', id: 'm1' }, /still being processed/],
  ] as const)('says what became of %p', (result, text) => {
    expect(formatReplay(result)).toMatch(text);
  });

  it('counts a replay by filter, naming only what went wrong', () => {
    expect(formatReplayAll({ matched: 2, replayed: 2, notFound: 0, busy: 0, failed: 0 })).toBe(
      'Replayed 2 of 2 matching dead letters.',
    );
    expect(
      formatReplayAll({ matched: 4, replayed: 1, notFound: 1, busy: 1, failed: 1, firstError: 'm4: down' }),
    ).toBe(
      [
        'Replayed 1 of 4 matching dead letters.',
        '1 left the queue before their turn.',
        '1 were still being processed; run the command again for them.',
        '1 failed, the first with: m4: down',
      ].join('\n'),
    );
  });

  it('says how many would be replayed when --yes is missing', () => {
    expect(formatReplayAllRefused(3)).toBe(
      '3 dead letters match. Nothing was replayed: add --yes to replay them.',
    );
    expect(formatReplayAllRefused(0)).toBe('No dead letters match; nothing to replay.');
  });
});
