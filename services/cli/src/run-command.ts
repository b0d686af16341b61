import type { AcceptedMessageView, MessageStatusView } from '@sms/contracts';
import { apiDeadLetterRoute } from './api-dead-letter-route';
import { apiGivenUpCallbackRoute } from './api-given-up-callback-route';
import { type ApiCall, buildRequest } from './build-request';
import { callApi, type Fetch } from './call-api';
import { type CommandOutput, failureOutput, resultOutput } from './command-output';
import { COMMANDS } from './command-table';
import type { FailureContext } from './format-failure';
import {
  type FoundMessages,
  formatAccepted,
  formatCanceled,
  formatFound,
  formatStatus,
} from './format-message';
import type { Command } from './parse-args';
import type { Answer } from './read-answer';
import type { Settings } from './resolve-settings';
import { runCallbackCommand } from './run-callback-command';
import { runDeadLetterCommand } from './run-dead-letter-command';

export type { CommandOutput } from './command-output';

/** What a command needs from outside; `main.ts` gives the real ones, tests their own. */
export interface CommandDeps {
  readonly fetch: Fetch;
  /** Standard input to its end, for `--text -`. */
  readonly readStdin: () => Promise<string>;
  /** The Idempotency-Key of a send without `--idempotency-key`. */
  readonly newIdempotencyKey: () => string;
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
  const print = (answer: Answer, text: (body: unknown) => string, extra: Partial<FailureContext> = {}) =>
    answer.ok
      ? resultOutput(settings.json, answer.body, () => text(answer.body))
      : failureOutput(answer.failure, { ...context, ...extra }, settings.json);

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
    case 'dlq show':
    case 'dlq replay':
    case 'dlq replay-all':
    case 'dlq delete':
      return runDeadLetterCommand(command, apiDeadLetterRoute(call), settings.json, context);
    case 'callbacks list':
    case 'callbacks show':
    case 'callbacks replay':
    case 'callbacks replay-all':
      return runCallbackCommand(command, apiGivenUpCallbackRoute(call), settings.json, context);
  }
}

// `echo text | sms send --text -` would otherwise send the newline echo adds.
function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}
