/** One PromQL query of a dashboard panel, with the variables put in. */
export interface PanelQuery {
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
}

/** A dashboard variable read with `label_values(selector, label)`, with the variables put in. */
export interface VariableQuery {
  readonly name: string;
  readonly selector: string;
  readonly label: string;
}

interface Panel {
  readonly title?: string;
  readonly targets?: ReadonlyArray<{ readonly refId?: string; readonly expr?: string }>;
  readonly panels?: readonly Panel[];
}

interface Dashboard {
  readonly panels?: readonly Panel[];
  readonly templating?: {
    readonly list?: ReadonlyArray<{
      readonly name: string;
      readonly type: string;
      readonly definition?: string;
      readonly query?: string | { readonly query?: string };
    }>;
  };
}

/**
 * Replaces Grafana's `$name`, `${name}` and `[[name]]` by `values[name]`; throws on a variable
 * that `values` does not give, so that a new variable cannot slip past the tests.
 */
export function substituteVariables(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, braced, bracketed, plain) => {
    const name = (braced ?? bracketed ?? plain) as string;
    const value = values[name];
    if (value === undefined) throw new Error(`no value given for the dashboard variable ${whole}`);
    return value;
  });
}

/** Every target `expr` of every panel (rows' nested panels included) of a Grafana dashboard JSON. */
export function dashboardQueries(json: string, values: Readonly<Record<string, string>>): PanelQuery[] {
  const dashboard = JSON.parse(json) as Dashboard;
  const walk = (panels: readonly Panel[]): PanelQuery[] =>
    panels.flatMap((panel) => [
      ...(panel.targets ?? [])
        .filter((target) => target.expr !== undefined)
        .map((target) => ({
          panel: panel.title ?? '(untitled)',
          refId: target.refId ?? '?',
          expr: substituteVariables(target.expr!, values),
        })),
      ...walk(panel.panels ?? []),
    ]);
  return walk(dashboard.panels ?? []);
}

/** The `label_values(selector, label)` query variables of a Grafana dashboard JSON. */
export function dashboardVariableQueries(
  json: string,
  values: Readonly<Record<string, string>>,
): VariableQuery[] {
  const dashboard = JSON.parse(json) as Dashboard;
  return (dashboard.templating?.list ?? [])
    .filter((variable) => variable.type === 'query')
    .map((variable) => {
      const text =
        typeof variable.query === 'string'
          ? variable.query
          : (variable.query?.query ?? variable.definition ?? '');
      const match = /^\s*label_values\((.*),\s*(\w+)\s*\)\s*$/s.exec(text);
      if (!match)
        throw new Error(`variable ${variable.name} is not a label_values(selector, label) query: ${text}`);
      return { name: variable.name, selector: substituteVariables(match[1]!, values), label: match[2]! };
    });
}
