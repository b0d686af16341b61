import { formatReplay } from '@sms/cli-text';
import type { ReplayResult } from '@sms/dead-letters';
import type { RouteResult } from './dead-letter-route';
import { exitCodeOf, type Outcome, worstOutcome } from './exit-codes';
import { type FailureContext, formatFailure } from './format-failure';
import type { Failure } from './read-answer';

/** What became of one id of `sms dlq replay`, as `--json` prints it. */
export type ReplayReport =
  | ReplayResult
  | { readonly outcome: 'failed'; readonly id: string; readonly error: Failure }
  /** Left alone after the API (or Redis) stopped answering. */
  | { readonly outcome: 'not_tried'; readonly id: string };

export interface ReplayOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * Replays the ids one after the other. After a failure worth retrying (no answer, 5xx) the rest
 * are not tried: the API is most likely down for them too, and each would wait for its timeout.
 * Replaying the whole list again is safe, since a message is re-sent at most once.
 */
export async function replayDeadLetters(
  ids: readonly string[],
  replayOne: (id: string) => Promise<RouteResult<ReplayResult>>,
): Promise<ReplayReport[]> {
  const reports: ReplayReport[] = [];
  for (const [index, id] of ids.entries()) {
    const result = await replayOne(id);
    reports.push(result.ok ? result.value : { outcome: 'failed', id, error: result.failure });
    if (!result.ok && result.failure.outcome === 'retry') {
      reports.push(...ids.slice(index + 1).map((rest) => ({ outcome: 'not_tried' as const, id: rest })));
      break;
    }
  }
  return reports;
}

/** The reports as text (replayed on stdout, the rest on stderr) or as one JSON array, and the exit code. */
export function replayOutput(
  reports: readonly ReplayReport[],
  json: boolean,
  context: FailureContext,
): ReplayOutput {
  const exitCode = exitCodeOf(worstOutcome(reports.map(outcomeOf)));
  if (json) return { stdout: JSON.stringify(reports, null, 2), stderr: '', exitCode };
  const notTried = reports.filter((report) => report.outcome === 'not_tried').map((report) => report.id);
  const problems = reports.flatMap((report) => {
    if (report.outcome === 'replayed' || report.outcome === 'not_tried') return [];
    if (report.outcome === 'failed') return [formatFailure(report.error, { ...context, subject: report.id })];
    return [formatReplay(report)];
  });
  return {
    stdout: reports
      .filter((report) => report.outcome === 'replayed')
      .map((report) => formatReplay(report))
      .join('\n'),
    stderr: [...problems, ...(notTried.length > 0 ? [`Not tried: ${notTried.join(' ')}`] : [])].join('\n'),
    exitCode,
  };
}

function outcomeOf(report: ReplayReport): Outcome {
  switch (report.outcome) {
    case 'replayed':
      return 'done';
    case 'not_found':
      return 'notFound';
    case 'busy':
      return 'retry';
    case 'failed':
      return report.error.outcome;
    case 'not_tried':
      return 'retry';
  }
}
