import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminCliConfigSchema } from '@sms/config';

// The README's table of environment variables must say what the schema says.
describe('README', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it('lists every environment variable with its description from the schema, in order', () => {
    const table = /<!-- env-table:start -->\n([\s\S]*?)<!-- env-table:end -->/.exec(readme)?.[1];
    expect(table).toBeDefined();
    const rows = table!
      .trim()
      .split('\n')
      .slice(2)
      .map((row) => /^\| `([A-Z_]+)` +\| (.*?) *\|$/.exec(row)?.slice(1));
    const expected = Object.entries(adminCliConfigSchema.shape).map(([key, field]) => [
      key,
      field.description,
    ]);
    expect(rows).toEqual(expected);
  });
});
