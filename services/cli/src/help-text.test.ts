import { COMMANDS, type CommandName, ENVIRONMENT, GLOBAL_OPTIONS } from './command-table';
import { EXIT_CODES } from './exit-codes';
import { commandHelp, groupHelp, programHelp } from './help-text';

const names = Object.keys(COMMANDS) as CommandName[];

describe('help', () => {
  it('lists every command, global option, variable and exit code', () => {
    const help = programHelp();
    for (const name of names) expect(help).toContain(`sms ${name}`);
    for (const option of Object.keys(GLOBAL_OPTIONS)) expect(help).toContain(`--${option}`);
    for (const variable of Object.keys(ENVIRONMENT)) expect(help).toContain(variable);
    for (const { code, meaning } of Object.values(EXIT_CODES)) {
      expect(help).toMatch(new RegExp(`\\n  ${code} +${meaning.replace(/[()]/g, '\\$&')}\\n`));
    }
  });

  it.each(names)('of %s shows its route and every option it takes', (name) => {
    const help = commandHelp(name);
    expect(help).toContain(COMMANDS[name].route);
    for (const option of Object.keys(COMMANDS[name].options)) expect(help).toContain(`--${option}`);
    expect(help).toContain('Exit codes: 0 done, 1 usage, 2 refused, 3 retry, 4 not found, 70 internal.');
  });

  it('of a group lists its commands only', () => {
    const help = groupHelp('dlq');
    expect(help).toContain('sms dlq replay ID... [options]');
    expect(help).not.toContain('sms send');
  });
});
