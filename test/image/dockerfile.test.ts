import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// No Docker engine runs where these tests run, so the image is never built here: this reads
// deploy/Dockerfile and checks what the image is made of. compiled-services.test.ts runs the
// same build and deploy commands and starts what they produce.

const REPO_ROOT = join(__dirname, '..', '..');
const DOCKERFILE = readFileSync(join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8');

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly base: string;
  readonly name: string;
  readonly instructions: readonly Instruction[];
}

function parseStages(text: string): Stage[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const [base = '', as, name = ''] = rest;
      expect(as?.toUpperCase()).toBe('AS');
      stages.push({ base, name, instructions: [] });
    } else {
      (stages.at(-1)!.instructions as Instruction[]).push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

const stages = parseStages(DOCKERFILE);
const stage = (name: string) => stages.find((s) => s.name === name)!;
const all = (s: Stage, keyword: string) => s.instructions.filter((i) => i.keyword === keyword);
const RUNTIME_STAGES = ['gateway', 'simulator'];
// What `pnpm deploy --prod` writes in the build stage, by output folder.
const deployed = new Map(
  all(stage('build'), 'RUN')
    .flatMap((run) => [...run.args.matchAll(/pnpm --filter (\S+) deploy --prod (\/out\/\S+)/g)])
    .map(([, pkg, folder]) => [folder!, pkg!]),
);

it('has a build stage and two runtime stages, the gateway last so that it is the default target', () => {
  expect(stages.map((s) => s.name)).toEqual(['build', 'simulator', 'gateway']);
  for (const s of stages) expect(s.base).toMatch(/^node:24-/);
});

it('compiles the TypeScript in the build stage, from a frozen lockfile', () => {
  const runs = all(stage('build'), 'RUN').map((i) => i.args);
  expect(runs).toContain('pnpm install --frozen-lockfile');
  expect(runs).toContain('pnpm build');
  expect([...deployed.values()].sort()).toEqual([
    '@sms/api',
    '@sms/archiver',
    '@sms/cli',
    '@sms/kaarai-simulator',
    '@sms/worker',
  ]);
});

it.each(RUNTIME_STAGES)('the %s stage holds only what pnpm deploy --prod copied', (name) => {
  const copies = all(stage(name), 'COPY');
  expect(copies.length).toBeGreaterThan(0);
  for (const copy of copies) {
    const [from, source] = copy.args.split(/\s+/);
    expect(from).toBe('--from=build');
    expect(deployed.has(source!)).toBe(true);
  }
  // No install of its own: an install here could bring dev dependencies back.
  for (const run of all(stage(name), 'RUN')) expect(run.args).not.toMatch(/\b(npm|pnpm|yarn)\b/);
});

it.each(RUNTIME_STAGES)('the %s stage runs as the unprivileged node user', (name) => {
  const users = all(stage(name), 'USER');
  expect(users.map((u) => u.args)).toEqual(['node']);
  const last = stage(name).instructions.map((i) => i.keyword);
  // Nothing after USER runs as root.
  expect(last.slice(last.indexOf('USER')).filter((k) => k === 'RUN')).toEqual([]);
});

it.each(RUNTIME_STAGES)('the %s stage runs a compiled main.js with plain node', (name) => {
  const [cmd] = all(stage(name), 'CMD');
  const command = JSON.parse(cmd!.args) as string[];
  expect(command).toHaveLength(2);
  expect(command[0]).toBe('node');
  expect(command[1]).toMatch(/^[a-z-]+\/dist\/main\.js$/);
  // The service whose deploy lands in that folder has the source the build compiles to it.
  const folder = `/out/${command[1]!.split('/')[0]}`;
  const service = deployed.get(folder)!.replace('@sms/', '');
  expect(existsSync(join(REPO_ROOT, 'services', service, 'src', 'main.ts'))).toBe(true);
  expect(all(stage(name), 'ENV').map((e) => e.args)).toEqual([
    'NODE_ENV=production NODE_OPTIONS=--conditions=sms-compiled',
  ]);
  expect(stage(name).instructions.map((i) => i.args)).not.toContainEqual(expect.stringMatching(/tsx/));
});
