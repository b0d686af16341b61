import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { type Kustomization, type Manifest, renderKustomization } from './render-kustomization';

// kubectl is not in Debian's packages in a version that builds deploy/k8s (bookworm's
// kubernetes-client is 1.20, whose kustomize v2 knows neither components nor replacements), so
// CI cannot count on it: where it is missing or too old, the renderer stands in, and
// render-kustomization.test.ts requires the two to agree wherever kubectl is there.

/** The kustomize that `kubectl kustomize` runs, when kubectl is installed and builds what deploy/k8s uses. */
export const KUBECTL_KUSTOMIZE: string | undefined = kubectlKustomizeVersion();

function kubectlKustomizeVersion(): string | undefined {
  const kubectl = spawnSync('kubectl', ['version', '--client', '--output=json'], { encoding: 'utf8' });
  if (kubectl.status !== 0) return undefined;
  try {
    const version = (JSON.parse(kubectl.stdout) as { kustomizeVersion?: string }).kustomizeVersion;
    // `replacements` with delimiters and `components` need kustomize 5 (kubectl 1.27 and later).
    return version !== undefined && Number(/^v(\d+)\./.exec(version)?.[1]) >= 5 ? version : undefined;
  } catch {
    return undefined;
  }
}

/** What `kubectl kustomize` prints for a directory, parsed; its warnings are errors. */
export function kubectlKustomize(dir: string): Manifest[] {
  const kubectl = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (kubectl.error) throw kubectl.error;
  if (kubectl.status !== 0 || kubectl.stderr !== '') {
    throw new Error(`kubectl kustomize ${dir} (exit ${kubectl.status}): ${kubectl.stderr}`);
  }
  return parseAllDocuments(kubectl.stdout).map((document) => {
    if (document.errors.length > 0)
      throw new Error(`kubectl kustomize ${dir}: ${document.errors[0]!.message}`);
    return document.toJS() as Manifest;
  });
}

/**
 * A kustomization to render: the one in `dir`, or `inline` as if it were written there (in a copy
 * of `root`, the tree that holds every file it names).
 */
export interface KustomizationSource {
  readonly dir: string;
  readonly inline?: { readonly root: string; readonly kustomization: Kustomization };
}

/** What `kubectl apply -k` would apply: kubectl's own rendering where it can, the renderer's otherwise. */
export function kustomize(source: KustomizationSource): Manifest[] {
  return KUBECTL_KUSTOMIZE === undefined ? renderWithRenderer(source) : renderWithKubectl(source);
}

export function renderWithRenderer({ dir, inline }: KustomizationSource): Manifest[] {
  return renderKustomization(dir, inline?.kustomization);
}

export function renderWithKubectl({ dir, inline }: KustomizationSource): Manifest[] {
  if (inline === undefined) return kubectlKustomize(dir);
  const copy = mkdtempSync(join(tmpdir(), 'kustomization-'));
  try {
    cpSync(inline.root, copy, { recursive: true });
    const at = join(copy, relative(inline.root, dir));
    writeFileSync(join(at, 'kustomization.yaml'), stringify(inline.kustomization));
    return kubectlKustomize(at);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
