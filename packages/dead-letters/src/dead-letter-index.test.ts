import { encodeCursor } from './dead-letter-cursor';
import { type IndexRow, pageOf, selectRows } from './dead-letter-index';

const row = (id: string, deadLetteredAt: number, reason: IndexRow['reason'] = 'rejected'): IndexRow => ({
  id,
  reason,
  deadLetteredAt,
  interrupted: false,
});

describe('selectRows', () => {
  const rows = [row('a', 100), row('b', 300, 'expired'), row('c', 200), row('d', 300)];

  it('sorts newest first, and by id within one millisecond', () => {
    expect(selectRows(rows, {}).map((r) => r.id)).toEqual(['d', 'b', 'c', 'a']);
  });

  it('keeps since and excludes until', () => {
    expect(selectRows(rows, { since: 200, until: 300 }).map((r) => r.id)).toEqual(['c']);
    expect(selectRows(rows, { reason: 'expired' }).map((r) => r.id)).toEqual(['b']);
  });
});

describe('pageOf', () => {
  const sorted = selectRows(
    Array.from({ length: 7 }, (_, i) => row(`m${i}`, 1_000 + i)),
    {},
  );

  it('walks every row once, page by page', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = pageOf(sorted, cursor, 3);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
  });

  it('continues after the cursor even when the row it names is gone', () => {
    const cursor = encodeCursor({ deadLetteredAt: 1_004, id: 'm4' });
    const without = sorted.filter((r) => r.id !== 'm4');
    expect(pageOf(without, cursor, 2).rows.map((r) => r.id)).toEqual(['m3', 'm2']);
  });

  it('gives no cursor on the last page', () => {
    expect(pageOf(sorted, undefined, 7).nextCursor).toBeUndefined();
    expect(pageOf(sorted, undefined, 6).nextCursor).toBeDefined();
  });
});
