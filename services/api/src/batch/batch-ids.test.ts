import type { ValidationResult } from '@sms/contracts';
import { requestHash } from '../idempotency';
import { batchHash, batchMessageId } from './batch-ids';

const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ok = (text: string): ValidationResult => ({ ok: true, value: { to: '573001234567', text } });
const refused: ValidationResult = { ok: false, error: { code: 4003, field: 'to', message: 'bad' } };

describe('batchMessageId', () => {
  it('makes the same UUID from the same batch id and index, and another for any other', () => {
    const id = batchMessageId('batch-1', 0);
    expect(id).toMatch(UUID_V8);
    expect(batchMessageId('batch-1', 0)).toBe(id);
    const others = [
      batchMessageId('batch-1', 1),
      batchMessageId('batch-2', 0),
      batchMessageId('batch-10', 0),
    ];
    expect(new Set([id, ...others]).size).toBe(4);
  });

  it('gives a thousand messages a thousand ids', () => {
    const ids = Array.from({ length: 1_000 }, (_, i) => batchMessageId('batch', i));
    expect(new Set(ids).size).toBe(1_000);
  });
});

describe('batchHash', () => {
  it('is the same for batches that validate alike, refusals included', () => {
    expect(batchHash([ok('a'), refused])).toBe(
      batchHash([ok('a'), { ...refused, error: { ...refused.error } }]),
    );
  });

  it('tells apart other messages, another order, and refusals in other places', () => {
    const hashes = [
      batchHash([ok('a'), refused]),
      batchHash([ok('b'), refused]),
      batchHash([refused, ok('a')]),
      batchHash([ok('a')]),
      batchHash([ok('a'), { ok: false, error: { code: 4002, field: 'text', message: 'bad' } }]),
    ];
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('never equals the hash of the single message it holds', () => {
    expect(batchHash([ok('a')])).not.toBe(requestHash({ to: '573001234567', text: 'a' }));
  });
});
