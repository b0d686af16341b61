import { parseArgs as parseNodeArgs } from 'node:util';
import {
  type DeadLetterFilter,
  type DeadLetterPageRequest,
  parseDeadLetterPageRequest,
  parseValidFor,
} from '@sms/dead-letters';

export type Command =
  | { readonly name: 'help' }
  | { readonly name: 'list'; readonly request: DeadLetterPageRequest; readonly json: boolean }
  | { readonly name: 'show'; readonly id: string; readonly json: boolean }
  | { readonly name: 'replay'; readonly id: string; readonly validFor?: number; readonly json: boolean }
  | {
      readonly name: 'replay-all';
      readonly filter: DeadLetterFilter;
      readonly validFor?: number;
      /** Without it nothing is replayed; the command only says how many would be. */
      readonly yes: boolean;
      readonly json: boolean;
    }
  | { readonly name: 'delete'; readonly id: string; readonly json: boolean };

export type ParsedArgs =
  | { readonly ok: true; readonly command: Command }
  | { readonly ok: false; readonly message: string };

export const USAGE = `Usage: dlq <command> [options]

Commands:
  list [--reason R] [--since ISO] [--until ISO] [--limit N] [--cursor C]
                          dead letters, newest first, a page at a time (50, at most 500)
  show ID                 one dead letter in full: receiver, text, attempts, status
  replay ID [--valid-for S]
                          send it again under the same id, valid S seconds from now
                          (default: as long as it was valid at first)
  replay-all [--reason R] [--since ISO] [--until ISO] [--valid-for S] [--yes]
                          replay every match; without --yes only counts them
  delete ID               remove it from the dead-letter queue for good

Options:
  --reason R              rejected, retries_exhausted or expired
  --since ISO, --until ISO
                          dead-lettered at or after --since and before --until,
                          e.g. 2024-05-01 or 2024-05-01T12:00:00Z
  --json                  print JSON instead of text
  -h, --help              this text

Environment: REDIS_URL (or REDIS_SENTINELS or REDIS_CLUSTER_NODES), QUEUE_PREFIX, SEND_ATTEMPTS (see the README).`;

const FILTER_OPTIONS = {
  reason: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
} as const;
const JSON_OPTION = { json: { type: 'boolean' } } as const;
const VALID_FOR_OPTION = { 'valid-for': { type: 'string' } } as const;

// The options each command takes, and how many positional arguments (the message id).
const COMMANDS = {
  list: {
    options: { ...FILTER_OPTIONS, limit: { type: 'string' }, cursor: { type: 'string' }, ...JSON_OPTION },
    ids: 0,
  },
  show: { options: JSON_OPTION, ids: 1 },
  replay: { options: { ...VALID_FOR_OPTION, ...JSON_OPTION }, ids: 1 },
  'replay-all': {
    options: { ...FILTER_OPTIONS, ...VALID_FOR_OPTION, yes: { type: 'boolean' }, ...JSON_OPTION },
    ids: 0,
  },
  delete: { options: JSON_OPTION, ids: 1 },
} as const;

type CommandName = keyof typeof COMMANDS;

/** Reads `dlq <command> [options]`; `argv` is what follows the program name. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [group, name, ...rest] = argv;
  if (group === '-h' || group === '--help' || name === '-h' || name === '--help' || name === 'help') {
    return { ok: true, command: { name: 'help' } };
  }
  if (group !== 'dlq') return fail(`unknown command "${group ?? ''}"; expected "dlq"`);
  if (name === undefined) return fail('missing a command: list, show, replay, replay-all or delete');
  if (!Object.hasOwn(COMMANDS, name)) {
    return fail(`unknown command "dlq ${name}"; expected list, show, replay, replay-all or delete`);
  }
  const spec = COMMANDS[name as CommandName];
  if (rest.includes('-h') || rest.includes('--help')) return { ok: true, command: { name: 'help' } };

  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseNodeArgs({
      args: [...rest],
      options: spec.options,
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    return fail(`dlq ${name}: ${(error as Error).message}`);
  }
  if (positionals.length !== spec.ids) {
    return fail(
      spec.ids === 0
        ? `dlq ${name} takes no arguments, got "${positionals.join(' ')}"`
        : `dlq ${name} needs exactly one message id`,
    );
  }
  const id = positionals[0] ?? '';
  const json = values.json === true;

  const filterFields = Object.fromEntries(
    ['reason', 'since', 'until', 'limit', 'cursor']
      .filter((key) => values[key] !== undefined)
      .map((key) => [key, values[key]]),
  );
  const request = parseDeadLetterPageRequest(filterFields);
  if (!request.ok) return fail(`dlq ${name}: ${asOption(request.message)}`);
  const rawValidFor = values['valid-for'];
  const validFor = parseValidFor(
    typeof rawValidFor === 'string' && /^\d+$/.test(rawValidFor) ? Number(rawValidFor) : rawValidFor,
  );
  if (!validFor.ok) return fail(`dlq ${name}: ${asOption(validFor.message)}`);
  const withValidFor = validFor.value === undefined ? {} : { validFor: validFor.value };

  switch (name as CommandName) {
    case 'list':
      return { ok: true, command: { name: 'list', request: request.value, json } };
    case 'show':
      return { ok: true, command: { name: 'show', id, json } };
    case 'replay':
      return { ok: true, command: { name: 'replay', id, ...withValidFor, json } };
    case 'replay-all':
      return {
        ok: true,
        command: {
          name: 'replay-all',
          filter: request.value,
          ...withValidFor,
          yes: values.yes === true,
          json,
        },
      };
    case 'delete':
      return { ok: true, command: { name: 'delete', id, json } };
  }
}

// "validFor: must be..." as the operator typed it: "--valid-for must be...".
function asOption(message: string): string {
  return message.replace(
    /^(\w+): /,
    (_, field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} `,
  );
}

function fail(message: string): ParsedArgs {
  return { ok: false, message };
}
