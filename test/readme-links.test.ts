import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { headingAnchor } from '../scripts/generate-prometheus-rule';

// The front door and the docs link into each other by file and heading; a heading renamed or a
// section moved must not leave a reader at a link that goes nowhere.
const root = resolve(__dirname, '..');
const PAGES = [
  'README.md',
  'deploy/README.md',
  'services/api/README.md',
  'packages/client/README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The anchors a Markdown renderer gives the headings of a page (code blocks left out). */
function anchorsOf(page: string): Set<string> {
  const text = readFileSync(page, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => headingAnchor(m[1]!)));
}

/** Every relative link of a page as `[target file, anchor]`, outside code blocks and spans. */
function linksOf(page: string): [string, string | undefined][] {
  const text = readFileSync(page, 'utf8')
    .replace(/^```[\s\S]*?^```/gm, '')
    .replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target))
    .map((target) => {
      const [file, anchor] = target.split('#');
      return [file === '' ? page : resolve(dirname(page), file!), anchor];
    });
}

it.each(PAGES)('%s links only to files and headings that exist', (name) => {
  const page = join(root, name);
  const broken = linksOf(page)
    .filter(([file, anchor]) => !existsSync(file) || (anchor !== undefined && !anchorsOf(file).has(anchor)))
    .map(([file, anchor]) => `${relative(root, file)}${anchor === undefined ? '' : `#${anchor}`}`);
  expect(broken).toEqual([]);
});

it('keeps the front door under 300 lines', () => {
  expect(readFileSync(join(root, 'README.md'), 'utf8').split('\n').length).toBeLessThan(300);
});
