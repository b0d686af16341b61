import { formatDetails, formatList } from '@sms/cli-text';
import type { AcceptedMessageView, MessageStatusView } from '@sms/contracts';
import type { DeadLetterDetails, DeadLetterPage } from '@sms/dead-letters';
import { type ApiCall, buildRequest } from './build-request';
import { callApi, type Fetch } from './call-api';
import { COMMANDS } from './command-table';
import { exitCodeOf } from './exit-codes';
import { type FailureContext, failureJson, formatFailure } from './format-failure';
import {
  type FoundMessages,
  formatAccepted,
  formatCanceled,
  formatFound,
  formatStatus,
} from './format-message';
import type { Command } from './parse-args';
import type { Answer } from './read-answer';
import { replayDeadLetters, replayOutput } from './replay-dead-letters';
import type { Settings } from './resolve-settings';

/** What a command needs from outside; `main.ts` gives the real ones, tests their own. */
export interface CommandDeps {
  readonly fetch: Fetch;
  /** Standard input to its end, for `--text -`. */
  readonly readStdin: () => Promise<string>;
  /** The Idempotency-Key of a send without `--idempotency-key`. */
  readonly newIdempotencyKey: () => string;
}

export interface CommandOutput {
  /** Without a final newline; empty means print nothing. */
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Carries out one command against the API and says what to print; printing and exiting are the caller's. */
export async function runCommand(
  command: Command,
  settings: Settings,
  deps: CommandDeps,
): Promise<CommandOutput> {
  const call = (apiCall: ApiCall): Promise<Answer> =>
    callApi(buildRequest(apiCall, settings), settings.timeoutMs, deps.fetch);
  const context: FailureContext = {
    command: command.name,
    key: COMMANDS[command.name].key,
    apiUrl: settings.apiUrl,
  };
  const print = (answer: Answer, text: (body: unknown) => string, extra: Partial<FailureContext> = {}) => {
    if (!answer.ok) {
      const failure = { ...context, ...extra };
      return {
        stdout: '',
        stderr: settings.json
          ? toJson(failureJson(answer.failure, failure))
          : formatFailure(answer.failure, failure),
        exitCode: exitCodeOf(answer.failure.outcome),
      };
    }
    return { stdout: settings.json ? toJson(answer.body) : text(answer.body), stderr: '', exitCode: 0 };
  };

  switch (command.name) {
    case 'send': {
      const text = command.fields.text ?? withoutFinalNewline(await deps.readStdin());
      // Always sent, so that a send without an answer can be retried without making a second message.
      const idempotencyKey = command.idempotencyKey ?? deps.newIdempotencyKey();
      const answer = await call({ name: 'send', fields: { ...command.fields, text }, idempotencyKey });
      const replayed = answer.ok && answer.replayed;
      return print(answer, (body) => formatAccepted(body as AcceptedMessageView, replayed), {
        idempotencyKey,
      });
    }
    case 'status':
      return print(await call(command), (body) => formatStatus(body as MessageStatusView));
    case 'cancel':
      return print(await call(command), (body) => formatCanceled(body as MessageStatusView));
    case 'find':
      return print(await call(command), (body) => formatFound(body as FoundMessages));
    case 'dlq list':
      return print(await call(command), (body) => formatList(body as DeadLetterPage));
    case 'dlq show':
      return print(await call(command), (body) => formatDetails(body as DeadLetterDetails));
    case 'dlq delete': {
      const answer = await call(command);
      // 204 has no body: JSON output gets the same shape as the Redis command line's.
      const done = answer.ok ? { ...answer, body: { id: command.id, deleted: true } } : answer;
      return print(done, () => `Deleted ${command.id}.`);
    }
    case 'dlq replay': {
      const { validFor } = command;
      const reports = await replayDeadLetters(command.ids, (id) =>
        call({ name: 'dlq replay', id, ...(validFor !== undefined && { validFor }) }),
      );
      return replayOutput(reports, settings.json, context);
    }
  }
}

// `echo text | sms send --text -` would otherwise send the newline echo adds.
function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
