import { encodeCursor } from './dead-letter-cursor';
import {
  MAX_PAGE_SIZE,
  parseDeadLetterFilter,
  parseDeadLetterPageRequest,
  parseValidFor,
} from './dead-letter-query';

describe('parseDeadLetterPageRequest', () => {
  it('reads a reason, ISO times, a cursor and a limit', () => {
    const cursor = encodeCursor({ deadLetteredAt: 1_714_564_800_000, id: 'abc' });
    expect(
      parseDeadLetterPageRequest({
        reason: 'expired',
        since: '2024-05-01',
        until: '2024-05-01T12:30:00.250+02:00',
        cursor,
        limit: '20',
      }),
    ).toEqual({
      ok: true,
      value: {
        reason: 'expired',
        since: Date.UTC(2024, 4, 1),
        until: Date.UTC(2024, 4, 1, 10, 30, 0, 250),
        cursor,
        limit: 20,
      },
    });
  });

  it('accepts nothing at all', () => {
    expect(parseDeadLetterPageRequest({})).toEqual({ ok: true, value: {} });
  });

  it.each([
    [{ reason: 'lost' }, 'reason'],
    [{ reason: ['rejected', 'expired'] }, 'reason'],
    [{ since: 'yesterday' }, 'since'],
    [{ since: '2024-05-01T12:00:00' }, 'since'],
    [{ until: '2024-13-45T00:00:00Z' }, 'until'],
    [{ since: '2024-05-02', until: '2024-05-01' }, 'until'],
    [{ since: '2024-05-01', until: '2024-05-01' }, 'until'],
    [{ cursor: 'not a cursor' }, 'cursor'],
    [{ cursor: Buffer.from('x:y').toString('base64url') }, 'cursor'],
    [{ limit: '0' }, 'limit'],
    [{ limit: String(MAX_PAGE_SIZE + 1) }, 'limit'],
    [{ limit: '2.5' }, 'limit'],
    [{ reasons: 'rejected' }, 'reasons'],
  ])('refuses %p, naming %s', (raw, field) => {
    const result = parseDeadLetterPageRequest(raw);
    expect(result).toMatchObject({ ok: false, field });
    expect(!result.ok && result.message).toMatch(new RegExp(`^${field}: `));
  });
});

describe('parseDeadLetterFilter', () => {
  it('refuses paging fields, so a replay by filter cannot be mistaken for one page', () => {
    expect(parseDeadLetterFilter({ reason: 'rejected', limit: 10 })).toMatchObject({
      ok: false,
      field: 'limit',
    });
  });
});

describe('parseValidFor', () => {
  it.each([
    [undefined, undefined],
    [60, 60],
    [3_600, 3_600],
  ])('reads %p as %p', (raw, value) => {
    expect(parseValidFor(raw)).toEqual({ ok: true, value });
  });

  it.each([[29], [604_801], [90.5], ['3600'], [true]])('refuses %p', (raw) => {
    expect(parseValidFor(raw)).toMatchObject({ ok: false, field: 'validFor' });
  });
});
