/**
 * Where a listing continues: the sort key of the last entry shown. A position in the queue
 * would shift as entries arrive and leave; a key does not, so no entry is shown twice or skipped
 * between pages while the queue changes.
 */
export interface CursorPosition {
  readonly deadLetteredAt: number;
  readonly id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.deadLetteredAt}:${position.id}`).toString('base64url');
}

/** The position a cursor names, or undefined when the text is not a cursor. */
export function decodeCursor(cursor: string): CursorPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  const match = /^(\d{1,15}):(.+)$/s.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) return undefined;
  return { deadLetteredAt: Number(match[1]), id: match[2]! };
}

/**
 * Newest first; entries of the same millisecond by id, last id first, so the order is total and
 * stable. Ids compare as their UTF-8 bytes, as Redis orders the members of one score in a sorted
 * set: this is the order of `ZREVRANGE` on the dead-letter index, which pages are read with.
 */
export function compareNewestFirst(a: CursorPosition, b: CursorPosition): number {
  if (a.deadLetteredAt !== b.deadLetteredAt) return b.deadLetteredAt - a.deadLetteredAt;
  return Buffer.compare(Buffer.from(b.id), Buffer.from(a.id));
}
