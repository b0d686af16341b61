import { exitCodeOf } from './exit-codes';
import { type FailureContext, failureJson, formatFailure } from './format-failure';
import type { Failure } from './read-answer';

/** What a command prints and how it exits; printing and exiting are `main.ts`'s. */
export interface CommandOutput {
  /** Without a final newline; empty means print nothing. */
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** A result: its JSON with `--json`, else its text. */
export function resultOutput(json: boolean, value: unknown, text: () => string): CommandOutput {
  return { stdout: json ? toJson(value) : text(), stderr: '', exitCode: exitCodeOf('done') };
}

/** A failure on stderr, as text or (with `--json`) one JSON object, and the exit code of its outcome. */
export function failureOutput(failure: Failure, context: FailureContext, json: boolean): CommandOutput {
  return {
    stdout: '',
    stderr: json ? toJson(failureJson(failure, context)) : formatFailure(failure, context),
    exitCode: exitCodeOf(failure.outcome),
  };
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
