/** One label matcher of a vector selector, e.g. `queue="sms"` or `status=~"5.."`. */
export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** A vector selector of a PromQL expression: a metric name and its label matchers. */
export interface VectorSelector {
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
}

// Words that are not metric names where they stand: aggregations (followed by `by` or `(`),
// binary operators, modifiers and number literals.
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'group',
  'inf',
  'nan',
]);
// These are followed by a parenthesised list of label names, not an expression.
const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/**
 * The vector selectors of a PromQL expression with their label matchers, so that a test can ask
 * Prometheus whether each metric, label and label value it reads exists. A small scanner, not a
 * parser: it knows enough PromQL to skip strings, durations, subqueries, function names and
 * label lists, which is all the dashboard and the alert rules use. Selectors written only as
 * `{__name__=...}` are not reported.
 */
export function vectorSelectors(expr: string): VectorSelector[] {
  const selectors: VectorSelector[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < expr.length && /\s/.test(expr[i]!)) i++;
  };
  const skipString = () => {
    const quote = expr[i]!;
    i++;
    while (i < expr.length && expr[i] !== quote) i += expr[i] === '\\' ? 2 : 1;
    i++;
  };
  const skipBalanced = (open: string, close: string) => {
    let depth = 0;
    do {
      if (expr[i] === '"' || expr[i] === "'" || expr[i] === '`') {
        skipString();
        continue;
      }
      if (expr[i] === open) depth++;
      else if (expr[i] === close) depth--;
      i++;
    } while (depth > 0 && i < expr.length);
  };
  const readMatchers = (): LabelMatcher[] => {
    const end = findClosingBrace(expr, i);
    const body = expr.slice(i + 1, end);
    i = end + 1;
    return [...body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => ({
      label: m[1]!,
      op: m[2] as LabelMatcher['op'],
      value: m[3]!.replace(/\\(.)/g, '$1'),
    }));
  };

  while (i < expr.length) {
    const c = expr[i]!;
    if (c === '"' || c === "'" || c === '`') skipString();
    else if (c === '[') skipBalanced('[', ']');
    else if (c === '{') readMatchers();
    else if (/[0-9.]/.test(c)) {
      // A number or a duration (5m, 1e3, 0.99): never a name.
      while (i < expr.length && /[0-9a-zA-Z_.]/.test(expr[i]!)) i++;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const start = i;
      while (i < expr.length && /[a-zA-Z0-9_:]/.test(expr[i]!)) i++;
      const word = expr.slice(start, i);
      skipSpace();
      const lower = word.toLowerCase();
      if (LABEL_LISTS.has(lower)) {
        if (expr[i] === '(') skipBalanced('(', ')');
      } else if (expr[i] === '(' || KEYWORDS.has(lower)) {
        // A function or an aggregation, or an operator.
      } else {
        selectors.push({ metric: word, matchers: expr[i] === '{' ? readMatchers() : [] });
      }
    } else i++;
  }
  return selectors;
}

function findClosingBrace(expr: string, open: number): number {
  let i = open + 1;
  while (i < expr.length && expr[i] !== '}') {
    if (expr[i] === '"') {
      i++;
      while (i < expr.length && expr[i] !== '"') i += expr[i] === '\\' ? 2 : 1;
    }
    i++;
  }
  return i;
}
