import { printable } from '@sms/cli-text';
import type { CommandName, KeyKind } from './command-table';
import type { Failure } from './read-answer';

/** What the text of a failure may point the user to. */
export interface FailureContext {
  readonly command: CommandName;
  readonly key: KeyKind;
  readonly apiUrl: string;
  /** The key a send carried, to repeat on a retry so that the message is made once. */
  readonly idempotencyKey?: string;
  /** What the failure is about when a command makes several requests: the id. */
  readonly subject?: string;
}

const LABELS = { refused: 'refused', notFound: 'not found', retry: 'not done' } as const;

/** The failure as lines for a person: what the API said, its code and field, and what to do. */
export function formatFailure(failure: Failure, context: FailureContext): string {
  const details = [
    failure.status === undefined ? undefined : `HTTP ${failure.status}`,
    failure.code === undefined ? undefined : `code ${failure.code}`,
    failure.field === undefined ? undefined : `field ${failure.field}`,
    failure.requestId === undefined ? undefined : `request id ${failure.requestId}`,
  ].filter((detail) => detail !== undefined);
  return [
    `sms ${context.command}${context.subject === undefined ? '' : ` ${context.subject}`}: ${LABELS[failure.outcome]}: ${failure.message}`,
    ...(details.length === 0 ? [] : [`  ${details.join(', ')}`]),
    ...hintsFor(failure, context),
  ]
    .map((line) => printable(line))
    .join('\n');
}

/** The failure for scripts (`--json`), with the Idempotency-Key of a send to retry with. */
export function failureJson(failure: Failure, context: FailureContext): unknown {
  return context.idempotencyKey === undefined
    ? failure
    : { ...failure, idempotencyKey: context.idempotencyKey };
}

function hintsFor(failure: Failure, context: FailureContext): string[] {
  const hints: string[] = [];
  if (failure.code === 4030) {
    hints.push(
      context.key === 'admin'
        ? "Check the operator key: --admin-key or SMS_ADMIN_KEY, one of the API's ADMIN_API_KEYS."
        : "Check the client key: --key or SMS_API_KEY, one of the API's API_KEYS.",
    );
  }
  if (failure.code === 4032) {
    hints.push(
      "Send --from one of the sender ids above, or leave it out for the client's default (CLIENT_DEFAULT_FROM).",
    );
  }
  if (failure.code === 4040) {
    hints.push(
      context.key === 'admin'
        ? `${context.apiUrl} has no dead-letter routes: the API serves them only with ADMIN_API_KEYS set.`
        : `${context.apiUrl} does not know this request: is it the gateway's API, and recent enough?`,
    );
  }
  if (failure.retryAfter !== undefined) hints.push(`The API asks to wait ${failure.retryAfter} s first.`);
  if (failure.outcome === 'retry') {
    hints.push(
      context.idempotencyKey === undefined
        ? 'Safe to retry.'
        : `Safe to retry with --idempotency-key ${context.idempotencyKey}: the message is then made at most once.`,
    );
  }
  return hints;
}
