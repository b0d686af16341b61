import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// The README's TypeScript examples are type-checked against the client's sources, so that a
// renamed method or option cannot leave them wrong. Each block is a module of its own.
const PACKAGE = path.join(__dirname, '..');
const TSC = path.join(PACKAGE, '..', '..', 'node_modules', '.bin', 'tsc');

it('type-checks every TypeScript example of the README', async () => {
  const readme = readFileSync(path.join(PACKAGE, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  expect(blocks.length).toBeGreaterThanOrEqual(4);
  const dir = mkdtempSync(path.join(tmpdir(), 'client-readme-'));
  try {
    const files = blocks.map((block, i) => {
      const file = path.join(dir, `example-${i + 1}.ts`);
      writeFileSync(file, block);
      return file;
    });
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: path.join(PACKAGE, '..', '..', 'tsconfig.base.json'),
        compilerOptions: {
          module: 'esnext',
          target: 'es2022',
          types: ['node'],
          typeRoots: [path.join(PACKAGE, '..', '..', 'node_modules', '@types')],
          paths: { '@sms/client': [path.join(PACKAGE, 'src', 'index.ts')] },
          noUnusedLocals: false,
        },
        files,
      }),
    );
    const run: { code?: number; stdout: string } = await promisify(execFile)(TSC, ['-p', dir], {
      cwd: dir,
    }).catch((error: { code: number; stdout: string }) => error);
    expect({ code: run.code ?? 0, errors: run.stdout }).toEqual({ code: 0, errors: '' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
