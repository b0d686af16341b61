/** One option of the command line, as the parser reads it and `--help` shows it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** What the value is, in the help: `NUMBER`, `ISO`... (string options only). */
  readonly value?: string;
  readonly short?: string;
  /** The command cannot run without it. */
  readonly required?: boolean;
  readonly description: string;
}

/** Which key a command needs: the client's (`API_KEYS`) or an operator's (`ADMIN_API_KEYS`). */
export type KeyKind = 'client' | 'admin';

export interface CommandSpec {
  /** The API route it calls, shown in the help. */
  readonly route: string;
  readonly summary: string;
  /** Its arguments as the help shows them, e.g. `ID` or `ID...`. */
  readonly args: string;
  readonly key: KeyKind;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Lines of the command's help below its options. */
  readonly notes?: readonly string[];
}

/** Options every command takes, before or after its name. */
export const GLOBAL_OPTIONS = {
  url: {
    type: 'string',
    value: 'URL',
    description: 'the gateway API (env SMS_API_URL; default http://127.0.0.1:8080)',
  },
  'admin-url': {
    type: 'string',
    value: 'URL',
    description:
      "the API's internal port, for the dlq and callbacks commands (env SMS_ADMIN_URL; default http://127.0.0.1:9101)",
  },
  key: {
    type: 'string',
    value: 'KEY',
    description: 'client key for send, status, cancel and find (env SMS_API_KEY)',
  },
  'admin-key': {
    type: 'string',
    value: 'KEY',
    description: 'operator key for the dlq and callbacks commands (env SMS_ADMIN_KEY)',
  },
  timeout: {
    type: 'string',
    value: 'SECONDS',
    description: 'how long to wait for each answer (default 10)',
  },
  json: { type: 'boolean', description: "print the API's JSON instead of text" },
} as const satisfies Record<string, OptionSpec>;

/** What `-h, --help` and `--version` say of themselves; every command takes `--help`. */
export const HELP_DESCRIPTION = 'this help; sms COMMAND --help for one command';
export const VERSION_DESCRIPTION = 'the version of sms';

/** Options of every dead-letter command: the way to the dead letters. */
export const DLQ_OPTIONS = {
  direct: {
    type: 'boolean',
    description: "straight to the gateway's Redis, not through the API: for when the API is down",
  },
  'redis-url': {
    type: 'string',
    value: 'URL',
    description: 'the Redis of --direct, in place of REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES',
  },
  'database-url': {
    type: 'string',
    value: 'URL',
    description: 'the status archive (PostgreSQL) of --direct, in place of DATABASE_URL',
  },
} as const satisfies Record<string, OptionSpec>;

/** Options of every given-up callback command: the way to them, as for the dead letters. */
export const CALLBACK_OPTIONS = {
  direct: DLQ_OPTIONS.direct,
  'redis-url': DLQ_OPTIONS['redis-url'],
} as const satisfies Record<string, OptionSpec>;

/** Where the global options come from when not given on the command line. */
export const ENVIRONMENT = {
  SMS_API_URL: '--url',
  SMS_ADMIN_URL: '--admin-url',
  SMS_API_KEY: '--key',
  SMS_ADMIN_KEY: '--admin-key',
} as const;

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';
/** The API serves /v1/admin on its internal port (ADMIN_PORT) only. */
export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:9101';
export const DEFAULT_TIMEOUT_SECONDS = 10;

const FILTER_OPTIONS = {
  reason: { type: 'string', value: 'R', description: 'rejected, retries_exhausted or expired' },
  since: { type: 'string', value: 'ISO', description: 'dead-lettered at or after, e.g. 2024-05-01' },
  until: { type: 'string', value: 'ISO', description: 'dead-lettered before' },
} as const satisfies Record<string, OptionSpec>;

const CALLBACK_FILTER_OPTIONS = {
  client: { type: 'string', value: 'NAME', description: 'the client whose callbacks, as API_KEYS names it' },
  since: { type: 'string', value: 'ISO', description: 'given up at or after, e.g. 2024-05-01' },
  until: { type: 'string', value: 'ISO', description: 'given up before' },
} as const satisfies Record<string, OptionSpec>;

const VALID_FOR = {
  type: 'string',
  value: 'SECONDS',
  description: 'how long the message stays worth sending, in seconds',
} as const;

/**
 * Every command: what it calls, its arguments and options. The parser, the help and the README
 * test read this table, so the three cannot disagree.
 */
export const COMMANDS = {
  send: {
    route: 'POST /v1/sms',
    summary: 'send an SMS; prints its id and status',
    args: '',
    key: 'client',
    options: {
      to: {
        type: 'string',
        value: 'NUMBER',
        required: true,
        description: 'receiver with its country code, e.g. 573001234567',
      },
      text: {
        type: 'string',
        value: 'TEXT',
        required: true,
        description: 'the message; - reads it from standard input',
      },
      from: { type: 'string', value: 'SENDER', description: 'sender number or alphanumeric id (up to 11)' },
      'valid-for': VALID_FOR,
      priority: { type: 'string', value: 'P', description: 'high, normal (the default) or bulk' },
      delivery: {
        type: 'string',
        value: 'MODE',
        description: "at-least-once or at-most-once (default: the client's, or at-least-once)",
      },
      'send-at': {
        type: 'string',
        value: 'ISO',
        description: 'send later, at a time with seconds and offset: YYYY-MM-DDThh:mm:ssZ',
      },
      reference: { type: 'string', value: 'REF', description: 'your own id for it; sms find looks it up' },
      'idempotency-key': {
        type: 'string',
        value: 'K',
        description: 'repeats with the same K make one message (default: a new UUID)',
      },
    },
    notes: [
      '--text - reads standard input to its end, less one final newline.',
      'Without --idempotency-key a fresh key is sent; when there is no answer (exit 3),',
      'it is printed: retry with it and the message cannot be sent twice.',
    ],
  },
  status: {
    route: 'GET /v1/sms/ID',
    summary: 'where a message stands',
    args: 'ID',
    key: 'client',
    options: {},
  },
  cancel: {
    route: 'DELETE /v1/sms/ID',
    summary: 'cancel a message not sent yet',
    args: 'ID',
    key: 'client',
    options: {},
    notes: [
      'Only a queued or scheduled message can be canceled: once sending started (4091) or',
      'the message is final (4092), it is too late (exit 2).',
    ],
  },
  find: {
    route: 'GET /v1/sms?reference=REF',
    summary: 'the messages sent with a --reference',
    args: 'REF',
    key: 'client',
    options: {},
    notes: ['Finding none is not an error: exit 0, and with --json "messages": [].'],
  },
  'dlq list': {
    route: 'GET /v1/admin/dead-letters',
    summary: 'dead letters, newest first, a page at a time',
    args: '',
    key: 'admin',
    options: {
      ...FILTER_OPTIONS,
      limit: { type: 'string', value: 'N', description: 'entries per page, 1 to 500 (default 50)' },
      cursor: { type: 'string', value: 'C', description: 'the next page, as the previous one printed it' },
    },
  },
  'dlq show': {
    route: 'GET /v1/admin/dead-letters/ID',
    summary: 'one dead letter in full, with its attempts',
    args: 'ID',
    key: 'admin',
    options: {},
  },
  'dlq replay': {
    route: 'POST /v1/admin/dead-letters/ID/replay',
    summary: 'send dead letters again',
    args: 'ID...',
    key: 'admin',
    options: {
      'valid-for': {
        ...VALID_FOR,
        description: 'valid this long from now (default: as long as at first)',
      },
    },
    notes: [
      'Each message is re-sent at most once, however often it is replayed. The ids are replayed',
      'in order; when the API or Redis stops answering, the rest are listed as not tried (exit 3).',
    ],
  },
  'dlq replay-all': {
    route: 'POST /v1/admin/dead-letters/replay',
    summary: 'send every matching dead letter again; without --yes only count them',
    args: '',
    key: 'admin',
    options: {
      ...FILTER_OPTIONS,
      'valid-for': {
        ...VALID_FOR,
        description: 'valid this long from now (default: as long as at first)',
      },
      yes: { type: 'boolean', description: 'replay them; without it nothing is replayed' },
    },
    notes: [
      'Without --yes it counts the matches (GET /v1/admin/dead-letters) and exits 1 when there',
      'are any, so that a forgotten --yes never reads as done. Busy or failed replays: exit 3.',
    ],
  },
  'dlq delete': {
    route: 'DELETE /v1/admin/dead-letters/ID',
    summary: 'drop a dead letter for good',
    args: 'ID',
    key: 'admin',
    options: {},
  },
  'callbacks list': {
    route: 'GET /v1/admin/callbacks',
    summary: 'status callbacks given up after CALLBACK_ATTEMPTS, newest first, a page at a time',
    args: '',
    key: 'admin',
    options: {
      ...CALLBACK_FILTER_OPTIONS,
      limit: { type: 'string', value: 'N', description: 'entries per page, 1 to 500 (default 50)' },
      cursor: { type: 'string', value: 'C', description: 'the next page, as the previous one printed it' },
    },
  },
  'callbacks show': {
    route: 'GET /v1/admin/callbacks/ID',
    summary: 'one given-up callback: its last error and the body a replay posts',
    args: 'ID',
    key: 'admin',
    options: {},
  },
  'callbacks replay': {
    route: 'POST /v1/admin/callbacks/ID/replay',
    summary: 'post given-up callbacks again',
    args: 'ID...',
    key: 'admin',
    options: {},
    notes: [
      "Each message's callbacks are replayed oldest first (by sequence), whatever the order given,",
      'each behind the events its message already has waiting. The receiver may so get an older',
      'status after a newer one; the sequence in the body tells. Signed when posted, with the',
      "client's current secret. When the API or Redis stops answering, the rest are not tried (exit 3).",
    ],
  },
  'callbacks replay-all': {
    route: 'POST /v1/admin/callbacks/replay',
    summary: 'post every matching given-up callback again; without --yes only count them',
    args: '',
    key: 'admin',
    options: {
      ...CALLBACK_FILTER_OPTIONS,
      yes: { type: 'boolean', description: 'replay them; without it nothing is replayed' },
    },
    notes: [
      'Without --yes it counts the matches (GET /v1/admin/callbacks) and exits 1 when there',
      "are any, so that a forgotten --yes never reads as done. Each message's oldest first.",
    ],
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

/** Commands under a common first word, e.g. `dlq`, with the options they all take. */
export const GROUPS: Readonly<
  Record<string, { readonly summary: string; readonly options: Readonly<Record<string, OptionSpec>> }>
> = {
  dlq: { summary: 'the dead-letter queue (admin key, or --direct)', options: DLQ_OPTIONS },
  callbacks: {
    summary: 'status callbacks given up after CALLBACK_ATTEMPTS (admin key, or --direct)',
    options: CALLBACK_OPTIONS,
  },
};
