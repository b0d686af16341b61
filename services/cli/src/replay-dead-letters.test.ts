import { apiDeadLetterRoute } from './api-dead-letter-route';
import type { ApiCall } from './build-request';
import type { Answer } from './read-answer';
import { replayDeadLetters, replayOutput } from './replay-dead-letters';

// The replays through the API's route, each id answered as `answerOf` says.
const throughApi = (answerOf: (id: string) => Answer) => {
  const route = apiDeadLetterRoute(async (call: ApiCall) => answerOf((call as { id: string }).id));
  return (id: string) => route.replay(id, undefined);
};

const context = { command: 'dlq replay', key: 'admin', apiUrl: 'http://api:8080' } as const;
const replayed = (id: string): Answer => ({
  ok: true,
  status: 200,
  body: { outcome: 'replayed', id, expiresAt: '2030-01-01T00:00:00.000Z' },
  replayed: false,
});
const failed = (
  status: number,
  code: number | undefined,
  outcome: 'refused' | 'retry' | 'notFound',
): Answer => ({
  ok: false,
  failure: { outcome, status, ...(code !== undefined && { code }), message: `HTTP ${status}` },
});

describe('replayDeadLetters', () => {
  it('replays every id in order and names the two refusals a replay expects', async () => {
    const answers: Record<string, Answer> = {
      m1: replayed('m1'),
      m2: failed(404, 4042, 'notFound'),
      m3: failed(409, 4090, 'retry'),
      m4: failed(400, 4009, 'refused'),
    };
    const asked: string[] = [];
    const reports = await replayDeadLetters(
      ['m1', 'm2', 'm3', 'm4'],
      throughApi((id) => {
        asked.push(id);
        return answers[id]!;
      }),
    );
    expect(asked).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(reports).toEqual([
      { outcome: 'replayed', id: 'm1', expiresAt: '2030-01-01T00:00:00.000Z' },
      { outcome: 'not_found', id: 'm2' },
      { outcome: 'busy', id: 'm3' },
      {
        outcome: 'failed',
        id: 'm4',
        error: { outcome: 'refused', status: 400, code: 4009, message: 'HTTP 400' },
      },
    ]);
  });

  it('stops at the first failure worth retrying, listing the rest as not tried', async () => {
    const asked: string[] = [];
    const reports = await replayDeadLetters(
      ['m1', 'm2', 'm3'],
      throughApi((id) => {
        asked.push(id);
        return id === 'm1' ? replayed(id) : failed(503, 5030, 'retry');
      }),
    );
    expect(asked).toEqual(['m1', 'm2']);
    expect(reports.map((report) => report.outcome)).toEqual(['replayed', 'failed', 'not_tried']);
  });
});

describe('replayOutput', () => {
  it('prints replays on stdout and the rest on stderr, exiting with the outcome to act on first', () => {
    const reports = [
      { outcome: 'replayed', id: 'm1' },
      { outcome: 'not_found', id: 'm2' },
      { outcome: 'failed', id: 'm3', error: { outcome: 'retry', message: 'no answer' } },
      { outcome: 'not_tried', id: 'm4' },
      { outcome: 'not_tried', id: 'm5' },
    ] as const;
    expect(replayOutput(reports, false, context)).toEqual({
      stdout: 'Replayed m1.',
      stderr: [
        'm2 is not in the dead-letter queue (already replayed or deleted, or being replayed right now).',
        'sms dlq replay m3: not done: no answer',
        'Safe to retry.',
        'Not tried: m4 m5',
      ].join('\n'),
      exitCode: 3,
    });
  });

  it('exits 4 when the only trouble is an id not in the queue, and 0 when all were replayed', () => {
    expect(replayOutput([{ outcome: 'replayed', id: 'm1' }], false, context).exitCode).toBe(0);
    expect(
      replayOutput(
        [
          { outcome: 'replayed', id: 'm1' },
          { outcome: 'not_found', id: 'm2' },
        ],
        false,
        context,
      ).exitCode,
    ).toBe(4);
  });

  it('prints every report as one JSON array with --json', () => {
    const reports = [
      { outcome: 'replayed', id: 'm1' },
      { outcome: 'busy', id: 'm2' },
    ] as const;
    const output = replayOutput(reports, true, context);
    expect(JSON.parse(output.stdout)).toEqual(reports);
    expect(output).toMatchObject({ stderr: '', exitCode: 3 });
  });
});
