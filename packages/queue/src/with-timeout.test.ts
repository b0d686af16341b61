import { withTimeout } from './with-timeout';

const never = new Promise<never>(() => {});

it('settles with the work when it ends in time', async () => {
  await expect(withTimeout(Promise.resolve('done'), 1_000, () => new Error('late'))).resolves.toBe('done');
  await expect(
    withTimeout(Promise.reject(new Error('refused')), 1_000, () => new Error('late')),
  ).rejects.toThrow('refused');
});

it('rejects with the given error when the work outlasts the bound', async () => {
  const started = performance.now();
  await expect(withTimeout(never, 50, () => new Error('redis did not answer'))).rejects.toThrow(
    'redis did not answer',
  );
  expect(performance.now() - started).toBeGreaterThanOrEqual(45);
});

it('leaves no timer behind once the work has ended', async () => {
  const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
  const before = timers();
  await withTimeout(Promise.resolve(1), 60_000, () => new Error('late'));
  expect(timers()).toBe(before);
});
