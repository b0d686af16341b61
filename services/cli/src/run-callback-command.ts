import { parseEventId } from '@sms/callbacks';
import { type CommandOutput, failureOutput, resultOutput, toJson } from './command-output';
import type { RouteResult } from './dead-letter-route';
import { exitCodeOf, type Outcome, worstOutcome } from './exit-codes';
import type { FailureContext } from './format-failure';
import { formatFailure } from './format-failure';
import {
  formatGivenUpDetails,
  formatGivenUpList,
  formatReplayAllCallbacksRefused,
} from './format-given-up-callbacks';
import type { GivenUpCallbackRoute } from './given-up-callback-route';
import type { CallbackCommand } from './parse-args';
import type { Failure } from './read-answer';

/** Carries out one `sms callbacks` command on a route to the given-up callbacks and says what to print. */
export async function runCallbackCommand(
  command: CallbackCommand,
  route: GivenUpCallbackRoute,
  json: boolean,
  context: FailureContext,
): Promise<CommandOutput> {
  const print = <T>(result: RouteResult<T>, text: (value: T) => string): CommandOutput =>
    result.ok
      ? resultOutput(json, result.value, () => text(result.value))
      : failureOutput(result.failure, context, json);

  switch (command.name) {
    case 'callbacks list':
      return print(await route.list(command.query), formatGivenUpList);
    case 'callbacks show':
      return print(await route.show(command.id), formatGivenUpDetails);
    case 'callbacks replay':
      return replayOutput(await replayInOrder(command.ids, route), json, context);
    case 'callbacks replay-all': {
      if (!command.yes) {
        const counted = await route.count(command.filter);
        if (!counted.ok) return failureOutput(counted.failure, context, json);
        const matching = counted.value;
        return {
          stdout: json ? toJson({ matching, replayed: [] }) : formatReplayAllCallbacksRefused(matching),
          stderr: '',
          // Matches left alone for want of --yes are not "done": a script must not read it so.
          exitCode: exitCodeOf(matching === 0 ? 'done' : 'usage'),
        };
      }
      return print(await route.replayAll(command.filter), (result) =>
        result.replayed.length === 0
          ? 'No given-up callbacks match; nothing was replayed.'
          : result.replayed.map((id) => `Replayed ${id}.`).join('\n'),
      );
    }
  }
}

/** What became of the ids of `sms callbacks replay`, as `--json` prints it. */
interface ReplayReport {
  readonly replayed: string[];
  readonly notFound: string[];
  readonly failed: { readonly id: string; readonly error: Failure }[];
  /** Left alone after the API (or Redis) stopped answering. */
  readonly notTried: string[];
}

/**
 * Replays the ids one after the other, each message's oldest first (by sequence), since each
 * replay goes to the tail of its message's outbox. After a failure worth retrying the rest are
 * not tried: running the command again is safe, as an id replayed already is only not found.
 */
async function replayInOrder(ids: readonly string[], route: GivenUpCallbackRoute): Promise<ReplayReport> {
  const report: ReplayReport = { replayed: [], notFound: [], failed: [], notTried: [] };
  const ordered = oldestFirstPerMessage(ids);
  for (const [index, id] of ordered.entries()) {
    const result = await route.replay(id);
    if (result.ok) {
      report.replayed.push(...result.value.replayed);
      report.notFound.push(...result.value.notFound);
      continue;
    }
    report.failed.push({ id, error: result.failure });
    if (result.failure.outcome === 'retry') {
      report.notTried.push(...ordered.slice(index + 1));
      break;
    }
  }
  return report;
}

/** The ids with each message's sorted by sequence, messages in the order first named. */
function oldestFirstPerMessage(ids: readonly string[]): string[] {
  const byMessage = new Map<string, string[]>();
  for (const id of new Set(ids)) {
    const key = parseEventId(id)?.messageId ?? id;
    byMessage.set(key, [...(byMessage.get(key) ?? []), id]);
  }
  const sequenceOf = (id: string) => parseEventId(id)?.sequence ?? 0;
  return [...byMessage.values()].flatMap((group) => group.sort((a, b) => sequenceOf(a) - sequenceOf(b)));
}

function replayOutput(report: ReplayReport, json: boolean, context: FailureContext): CommandOutput {
  const outcomes: Outcome[] = [
    ...report.replayed.map((): Outcome => 'done'),
    ...report.notFound.map((): Outcome => 'notFound'),
    ...report.failed.map(({ error }) => error.outcome),
    ...report.notTried.map((): Outcome => 'retry'),
  ];
  const exitCode = exitCodeOf(worstOutcome(outcomes));
  if (json) return { stdout: toJson(report), stderr: '', exitCode };
  return {
    stdout: report.replayed.map((id) => `Replayed ${id}.`).join('\n'),
    stderr: [
      ...report.notFound.map(
        (id) => `${id} is not a given-up callback (replayed already, past its retention, or unknown).`,
      ),
      ...report.failed.map(({ id, error }) => formatFailure(error, { ...context, subject: id })),
      ...(report.notTried.length > 0 ? [`Not tried: ${report.notTried.join(' ')}`] : []),
    ].join('\n'),
    exitCode,
  };
}
