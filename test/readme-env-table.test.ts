import { existsSync, readFileSync } from 'node:fs';
import {
  CONFIGURATION_DOC_PATH,
  END_MARKER,
  envTables,
  envVariables,
  replaceBetweenMarkers,
  SERVICES,
  START_MARKER,
  textBetweenMarkers,
} from '../scripts/env-table';

const HOW_TO_FIX =
  `run \`npx tsx scripts/env-table.ts\` and paste its output between ${START_MARKER} and ${END_MARKER} ` +
  'in docs/configuration.md (or, once the markers are there, run `npx tsx scripts/env-table.ts --write`)';

const variables = SERVICES.flatMap(([title, schema]) =>
  envVariables(schema).map((v) => [title, v.name, v] as const),
);

describe('the table of environment variables in docs/configuration.md', () => {
  it('matches the configuration schemas', () => {
    if (!existsSync(CONFIGURATION_DOC_PATH))
      throw new Error(`docs/configuration.md does not exist yet: ${HOW_TO_FIX}`);
    const between = textBetweenMarkers(readFileSync(CONFIGURATION_DOC_PATH, 'utf8'));
    if (between === undefined)
      throw new Error(`docs/configuration.md has no ${START_MARKER} … ${END_MARKER} section: ${HOW_TO_FIX}`);
    try {
      expect(between.trim()).toBe(envTables());
    } catch (error) {
      (error as Error).message =
        `docs/configuration.md is out of date with the schemas: ${HOW_TO_FIX}\n\n${(error as Error).message}`;
      throw error;
    }
  });

  it.each(variables)('describes %s variable %s', (_service, _name, variable) => {
    expect(variable.description).toMatch(/\w{3,}.*\w/);
  });

  it.each(variables.filter(([, , v]) => v.defaultValue !== undefined))(
    'states in the description of %s variable %s the default the schema applies',
    (_service, _name, variable) => {
      const { defaultValue } = variable;
      const shown = Array.isArray(defaultValue) && defaultValue.length === 0 ? 'none' : String(defaultValue);
      expect(variable.description).toMatch(new RegExp(`\\bdefault ${escapeRegExp(shown)}(\\W|$)`, 'i'));
    },
  );

  it.each(variables.filter(([, , v]) => v.required))(
    'says that %s variable %s is required',
    (_service, _name, v) => {
      expect(v.description).toMatch(/^Required\./);
    },
  );

  it.each(variables.filter(([, name]) => /(PASSWORD|SECRET|TOKEN|_KEYS?)$/.test(name)))(
    'marks %s variable %s as a secret to be read from a file',
    (_service, _name, variable) => {
      expect(variable.secret).toBe(true);
    },
  );

  it('marks a secret in the table with its _FILE variant', () => {
    expect(envTables()).toContain('| `KAARAI_PASSWORD` or `KAARAI_PASSWORD_FILE` (secret) |');
    expect(envTables()).toContain('| `API_KEYS` or `API_KEYS_FILE` (secret) |');
  });

  it('keeps every table row on one line with two cells', () => {
    const rows = envTables()
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(rows).toHaveLength(variables.length);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(4);
  });
});

describe('replaceBetweenMarkers', () => {
  const document = `# Title\n\n${START_MARKER}\nold table\n${END_MARKER}\n\n## Next\n`;

  it('replaces only the text between the markers', () => {
    expect(replaceBetweenMarkers(document, 'new table')).toBe(
      `# Title\n\n${START_MARKER}\nnew table\n${END_MARKER}\n\n## Next\n`,
    );
  });

  it('gives back what textBetweenMarkers reads', () => {
    const written = replaceBetweenMarkers(document, envTables());
    expect(textBetweenMarkers(written)?.trim()).toBe(envTables());
    expect(replaceBetweenMarkers(written, envTables())).toBe(written);
  });

  it.each([
    ['no markers', '# Title\n'],
    ['only the start marker', `${START_MARKER}\n`],
    ['the markers in the wrong order', `${END_MARKER}\n${START_MARKER}\n`],
  ])('refuses a document with %s', (_name, text) => {
    expect(textBetweenMarkers(text)).toBeUndefined();
    expect(() => replaceBetweenMarkers(text, 'x')).toThrow(START_MARKER);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
