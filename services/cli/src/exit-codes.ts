/**
 * How a command ended, as a script sees it. The numbers are part of the command line's contract:
 * never renumber one, only add.
 */
export const EXIT_CODES = {
  done: { code: 0, meaning: 'done' },
  usage: {
    code: 1,
    meaning:
      'wrong usage, nothing sent: unknown command or option, bad value, no key, no Redis for --direct, replay-all without --yes',
  },
  refused: {
    code: 2,
    meaning: 'refused by the API (4xx), or by its checks with --direct: code, field and message say why',
  },
  retry: {
    code: 3,
    meaning: 'not done, safe to retry: no answer, timeout, 5xx, busy (4090, 4290), Redis unreachable',
  },
  notFound: {
    code: 4,
    meaning: 'not found: no such message (4041), dead letter (4042) or given-up callback (4043)',
  },
  internal: { code: 70, meaning: 'a fault of sms itself (a stack trace follows)' },
} as const;

export type Outcome = keyof typeof EXIT_CODES;
export type FailureOutcome = Exclude<Outcome, 'done' | 'usage' | 'internal'>;

// Gateway codes whose meaning the HTTP status alone does not give: 4040 is a route the API does
// not have (an older API, or a wrong --url), not an unknown message; 4090 and 4290 ask the caller
// to come back in a moment.
const OUTCOME_BY_API_CODE: Readonly<Record<number, FailureOutcome>> = {
  4040: 'refused',
  4041: 'notFound',
  4042: 'notFound',
  4043: 'notFound',
  4090: 'retry',
  4290: 'retry',
};

/** What an error answer means to a script: by the gateway's code when it has one, else by HTTP status. */
export function outcomeOfAnswer(status: number, code: number | undefined): FailureOutcome {
  const byCode = code === undefined ? undefined : OUTCOME_BY_API_CODE[code];
  if (byCode) return byCode;
  if (status >= 500) return 'retry';
  // A 404 without a gateway code comes from something else at --url, not from a message look-up.
  if (status === 404 && code !== undefined) return 'notFound';
  return 'refused';
}

// When several things failed (a replay of many ids), the one a script should act on first: a
// retry may fix everything, a refusal needs a change, a missing id needs nothing.
const SEVERITY: readonly Outcome[] = ['internal', 'retry', 'refused', 'notFound', 'usage', 'done'];

/** The exit code of a command made of several requests. */
export function worstOutcome(outcomes: readonly Outcome[]): Outcome {
  return SEVERITY.find((outcome) => outcomes.includes(outcome)) ?? 'done';
}

export function exitCodeOf(outcome: Outcome): number {
  return EXIT_CODES[outcome].code;
}
