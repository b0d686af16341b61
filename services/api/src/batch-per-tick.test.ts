import { batchPerTick, type ItemOutcomes } from './batch-per-tick';

describe('batchPerTick', () => {
  it('sends the items of one turn together, and settles each with its own outcome', async () => {
    const sent: string[][] = [];
    const add = batchPerTick(async (items: readonly string[]): Promise<ItemOutcomes> => {
      sent.push([...items]);
      return items.map((item) => (item === 'refused' ? new Error(`no ${item}`) : undefined));
    });
    const outcomes = await Promise.allSettled([add('a'), add('refused'), add('b')]);
    expect(outcomes.map(({ status }) => status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: new Error('no refused') });
    await add('c');
    expect(sent).toEqual([['a', 'refused', 'b'], ['c']]);
  });

  it('rejects every item of a batch whose send failed', async () => {
    const add = batchPerTick(async (): Promise<ItemOutcomes> => {
      throw new Error('Connection is closed.');
    });
    const outcomes = await Promise.allSettled([add(1), add(2)]);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: new Error('Connection is closed.') },
      { status: 'rejected', reason: new Error('Connection is closed.') },
    ]);
  });
});
