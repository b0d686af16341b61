import { formatDetails, formatList, formatReplayAll, formatReplayAllRefused } from '@sms/cli-text';
import { type CommandOutput, failureOutput, resultOutput, toJson } from './command-output';
import type { DeadLetterRoute, RouteResult } from './dead-letter-route';
import { exitCodeOf } from './exit-codes';
import type { FailureContext } from './format-failure';
import type { DeadLetterCommand } from './parse-args';
import { replayDeadLetters, replayOutput } from './replay-dead-letters';

/** Carries out one `sms dlq` command on a route to the dead letters and says what to print. */
export async function runDeadLetterCommand(
  command: DeadLetterCommand,
  route: DeadLetterRoute,
  json: boolean,
  context: FailureContext,
): Promise<CommandOutput> {
  const print = <T>(result: RouteResult<T>, text: (value: T) => string, asJson?: unknown): CommandOutput =>
    result.ok
      ? resultOutput(json, asJson ?? result.value, () => text(result.value))
      : failureOutput(result.failure, context, json);

  switch (command.name) {
    case 'dlq list':
      return print(await route.list(command.query), formatList);
    case 'dlq show':
      return print(await route.show(command.id), formatDetails);
    case 'dlq delete':
      // The API answers 204 without a body: both routes print the same JSON.
      return print(await route.delete(command.id), () => `Deleted ${command.id}.`, {
        id: command.id,
        deleted: true,
      });
    case 'dlq replay': {
      const reports = await replayDeadLetters(command.ids, (id) => route.replay(id, command.validFor));
      return replayOutput(reports, json, context);
    }
    case 'dlq replay-all': {
      if (!command.yes) {
        const counted = await route.count(command.filter);
        if (!counted.ok) return failureOutput(counted.failure, context, json);
        const matching = counted.value;
        return {
          stdout: json ? toJson({ matching, replayed: 0 }) : formatReplayAllRefused(matching),
          stderr: '',
          // Matches left alone for want of --yes are not "done": a script must not read it so.
          exitCode: exitCodeOf(matching === 0 ? 'done' : 'usage'),
        };
      }
      const replayed = await route.replayAll(command.filter, command.validFor);
      if (!replayed.ok) return failureOutput(replayed.failure, context, json);
      const result = replayed.value;
      return {
        ...resultOutput(json, result, () => formatReplayAll(result)),
        // Busy or failed ones are replayed by running the command again.
        exitCode: exitCodeOf(result.busy + result.failed > 0 ? 'retry' : 'done'),
      };
    }
  }
}
