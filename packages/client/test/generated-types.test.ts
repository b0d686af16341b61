import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

// The client's types are generated from the document the API serves; this is the check that the
// checked-in file is what the API serves today. The generator runs as its own process:
// openapi-typescript's dependencies are ES modules, which jest's module loader does not take.
const GENERATOR = path.join(__dirname, '..', 'scripts', 'generate-types.ts');

it('has the types of the document the API serves', async () => {
  const run: { code?: number; stderr: string } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', GENERATOR, '--check'],
    { cwd: path.join(__dirname, '..') },
  ).catch((error: { code: number; stderr: string }) => error);

  // On failure its stderr names the file and the command that brings it up to date.
  expect({ code: run.code ?? 0, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
}, 60_000);
