import { COMMANDS, type CommandName, DLQ_OPTIONS, ENVIRONMENT, GLOBAL_OPTIONS } from './command-table';
import { EXIT_CODES } from './exit-codes';
import { usageOf } from './help-text';
import { parseArgs } from './parse-args';

const names = Object.keys(COMMANDS) as CommandName[];
const helpOf = (argv: string[]) => {
  const parsed = parseArgs([...argv, '--help']);
  if (parsed.kind !== 'exit' || parsed.exitCode !== 0) throw new Error(`no help for ${argv.join(' ')}`);
  return parsed.stdout;
};

describe('help', () => {
  it('lists every command, global option, variable and exit code', () => {
    const help = helpOf([]);
    for (const name of names) expect(help).toContain(usageOf(name).slice('sms '.length));
    for (const option of Object.keys(GLOBAL_OPTIONS)) expect(help).toContain(`--${option}`);
    for (const variable of [
      ...Object.keys(ENVIRONMENT),
      'REDIS_URL',
      'REDIS_CLUSTER_NODES',
      'QUEUE_PREFIX',
    ]) {
      expect(help).toContain(variable);
    }
    for (const { code, meaning } of Object.values(EXIT_CODES)) {
      expect(help).toMatch(new RegExp(`\\n  ${code} +${meaning.replace(/[()]/g, '\\$&')}\\n`));
    }
  });

  it.each(names)('of %s shows its route and every option it takes', (name) => {
    const help = helpOf(name.split(' '));
    expect(help.replace(/\s+/g, ' ')).toContain(COMMANDS[name].route);
    for (const option of Object.keys(COMMANDS[name].options)) expect(help).toContain(`--${option}`);
    if (name.startsWith('dlq '))
      for (const option of Object.keys(DLQ_OPTIONS)) expect(help).toContain(`--${option}`);
    expect(help).toContain('Exit codes: 0 done, 1 usage, 2 refused, 3 retry, 4 not found, 70 internal.');
  });

  it('of a group lists its commands only', () => {
    const help = helpOf(['dlq']);
    expect(help).toContain('dlq replay ID... [options]');
    expect(help).toContain('dlq replay-all [options]');
    expect(help).not.toContain('send --to');
  });
});
