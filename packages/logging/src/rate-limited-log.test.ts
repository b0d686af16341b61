import { Writable } from 'node:stream';
import { createLogger } from './create-logger';
import { rateLimitedLog } from './rate-limited-log';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('test', 'info', stream) };
}

it('writes one line per message and interval, counting the ones it left out', () => {
  const { lines, logger } = capture();
  let now = 0;
  const log = rateLimitedLog(logger, { intervalMs: 1_000, now: () => now });
  for (let i = 0; i < 2_800; i++) log({ err: 'OOM' }, 'worker error');
  log({}, 'callback worker error');
  now = 999;
  log({}, 'worker error');
  now = 1_000;
  log({ err: 'OOM' }, 'worker error');
  now = 5_000;
  log({}, 'worker error');
  expect(lines.map(({ msg, suppressed }) => ({ msg, suppressed }))).toEqual([
    { msg: 'worker error', suppressed: undefined },
    { msg: 'callback worker error', suppressed: undefined },
    { msg: 'worker error', suppressed: 2_800 },
    { msg: 'worker error', suppressed: undefined },
  ]);
  expect(lines[0]).toMatchObject({ level: 50, err: 'OOM' });
});
