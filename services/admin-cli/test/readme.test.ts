import { join } from 'node:path';
import { adminCliConfigSchema } from '@sms/config';
import { readmeEnvRows, schemaEnvRows } from '@sms/testing';

// The README's table of environment variables must say what the schema says.
describe('README', () => {
  it('lists every environment variable with its description from the schema, in order', () => {
    const rows = readmeEnvRows(join(__dirname, '..', 'README.md'));
    expect(rows).toBeDefined();
    expect(rows).toEqual(schemaEnvRows(adminCliConfigSchema));
  });
});
