/** What a batch's `send` gives back: per item, in order, undefined once it is done, else its error. */
export type ItemOutcomes = readonly (Error | undefined)[];

/**
 * Collects the items handed to the returned function within one turn of the event loop and
 * sends them together, with one `send` call, once that turn's I/O has been read (`schedule`,
 * `setImmediate` by default): requests whose bodies arrived together share one round trip to
 * Redis instead of one each, and none waits longer than the turn it arrived in. Each caller's
 * promise settles with its own item's outcome; when `send` rejects, every item of the batch
 * rejects with that error.
 */
export function batchPerTick<Item>(
  send: (items: readonly Item[]) => Promise<ItemOutcomes>,
  schedule: (flush: () => void) => void = setImmediate,
): (item: Item) => Promise<void> {
  interface Waiting {
    readonly item: Item;
    readonly resolve: () => void;
    readonly reject: (error: unknown) => void;
  }
  let batch: Waiting[] | undefined;

  const flush = async () => {
    const sent = batch ?? [];
    batch = undefined;
    let outcomes: ItemOutcomes;
    try {
      outcomes = await send(sent.map(({ item }) => item));
    } catch (error) {
      for (const waiting of sent) waiting.reject(error);
      return;
    }
    sent.forEach((waiting, i) => {
      const outcome = outcomes[i];
      if (outcome === undefined) waiting.resolve();
      else waiting.reject(outcome);
    });
  };

  return (item) =>
    new Promise<void>((resolve, reject) => {
      if (batch === undefined) {
        batch = [];
        schedule(() => void flush());
      }
      batch.push({ item, resolve, reject });
    });
}
