import {
  formatDetails,
  formatList,
  formatReplay,
  formatReplayAll,
  formatReplayAllRefused,
} from '@sms/cli-text';
import type { DeadLetters } from '@sms/dead-letters';
import type { Command } from './parse-args';

export interface CommandOutput {
  readonly stdout: string;
  /** 0 done; 1 not done (not found, busy, refused without --yes, some replays failed). */
  readonly exitCode: 0 | 1;
}

type Operation = Exclude<Command, { name: 'help' }>;

/** Carries out one command and says what to print; printing and exiting are the caller's. */
export async function runCommand(command: Operation, deadLetters: DeadLetters): Promise<CommandOutput> {
  const print = (value: unknown, text: string, exitCode: 0 | 1 = 0): CommandOutput => ({
    stdout: command.json ? JSON.stringify(value, null, 2) : text,
    exitCode,
  });

  switch (command.name) {
    case 'list': {
      const page = await deadLetters.list(command.request);
      return print(page, formatList(page));
    }
    case 'show': {
      const details = await deadLetters.show(command.id);
      if (!details) {
        return print({ id: command.id, found: false }, `${command.id} is not in the dead-letter queue.`, 1);
      }
      return print(details, formatDetails(details));
    }
    case 'replay': {
      const options = command.validFor === undefined ? {} : { validFor: command.validFor };
      const result = await deadLetters.replay(command.id, options);
      return print(result, formatReplay(result), result.outcome === 'replayed' ? 0 : 1);
    }
    case 'replay-all': {
      if (!command.yes) {
        const matching = await deadLetters.count(command.filter);
        return print({ matching, replayed: 0 }, formatReplayAllRefused(matching), matching === 0 ? 0 : 1);
      }
      const options = command.validFor === undefined ? {} : { validFor: command.validFor };
      const result = await deadLetters.replayAll(command.filter, options);
      return print(result, formatReplayAll(result), result.failed + result.busy > 0 ? 1 : 0);
    }
    case 'delete': {
      const deleted = await deadLetters.delete(command.id);
      const text = deleted
        ? `Deleted ${command.id}.`
        : `${command.id} is not in the dead-letter queue (or is being replayed right now).`;
      return print({ id: command.id, deleted }, text, deleted ? 0 : 1);
    }
  }
}
