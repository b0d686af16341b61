/**
 * Clean-ups run in reverse order of registration, so that what started last stops first (a
 * worker before the Redis it talks to); one failing does not skip the others, and a second
 * `run()` does nothing.
 */
export class Teardown {
  readonly #steps: Array<() => unknown> = [];

  /** Registers `stop` for `resource` and returns `resource`, so that it can wrap a start. */
  add<T>(resource: T, stop: (resource: T) => unknown): T {
    this.#steps.push(() => stop(resource));
    return resource;
  }

  /** Runs every clean-up registered so far and rejects with the first error, once all have run. */
  async run(): Promise<void> {
    const errors: unknown[] = [];
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}
