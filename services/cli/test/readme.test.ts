import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliConfigSchema } from '@sms/config';
import { readmeEnvRows, schemaEnvRows } from '@sms/testing';
import {
  COMMANDS,
  type CommandName,
  DLQ_OPTIONS,
  ENVIRONMENT,
  GLOBAL_OPTIONS,
  type OptionSpec,
} from '../src/command-table';
import { EXIT_CODES } from '../src/exit-codes';
import { usageOf } from '../src/help-text';

// The README documents every command, option, variable and exit code as the code has them.
const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('has the exit code table of EXIT_CODES', () => {
    const table = /<!-- exit-codes:start -->\n([\s\S]*?)<!-- exit-codes:end -->/.exec(readme)?.[1];
    expect(table).toBeDefined();
    const rows = table!
      .trim()
      .split('\n')
      .slice(2)
      .map((row) => /^\| (\d+) \| (.*) \|$/.exec(row)?.slice(1));
    expect(rows).toEqual(Object.values(EXIT_CODES).map(({ code, meaning }) => [String(code), meaning]));
  });

  it.each(Object.keys(COMMANDS) as CommandName[])('shows the usage of %s and each of its options', (name) => {
    expect(readme).toContain(`\`${usageOf(name)}\``);
    for (const [option, { value }] of Object.entries<OptionSpec>(COMMANDS[name].options)) {
      expect(readme).toContain(`\`--${option}${value ? ` ${value}` : ''}\``);
    }
  });

  it('lists the Redis variables of --direct with their descriptions from the schema, in order', () => {
    const rows = readmeEnvRows(join(__dirname, '..', 'README.md'));
    expect(rows).toBeDefined();
    expect(rows).toEqual(schemaEnvRows(cliConfigSchema));
  });

  it('lists every global option, dlq option and variable', () => {
    for (const [option, spec] of Object.entries<OptionSpec>({ ...GLOBAL_OPTIONS, ...DLQ_OPTIONS })) {
      expect(readme).toContain(`\`--${option}${spec.value ? ` ${spec.value}` : ''}\``);
    }
    for (const variable of Object.keys(ENVIRONMENT)) expect(readme).toContain(`\`${variable}\``);
  });
});
