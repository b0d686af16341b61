import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * What `kubectl kustomize` prints for a directory, for the subset of kustomize that deploy/k8s
 * uses: `resources` (files and kustomization directories), `components`, `patches` given as
 * strategic-merge patches that name their target, `images`, `namespace`, and `replacements`
 * between fields named by dotted paths (whole values, or one field of a delimited string).
 * Resources annotated `config.kubernetes.io/local-config` feed replacements and are left out of
 * the output, as kustomize does. Anything else in a
 * kustomization is refused rather than ignored, so that a test never passes on a rendering
 * that differs from kustomize's. Like kustomize's default load restrictor, files must lie
 * inside the kustomization's own directory (directories may be anywhere).
 */
export function renderKustomization(dir: string, inline?: Kustomization): Manifest[] {
  const kustomization = inline ?? readKustomization(dir);
  if (kustomization.kind !== 'Kustomization') {
    throw new Error(`${dir}: a ${kustomization.kind} cannot be built on its own`);
  }
  return buildLayer(dir, kustomization, []).filter((m) => m.metadata.annotations?.[LOCAL_CONFIG] !== 'true');
}

const LOCAL_CONFIG = 'config.kubernetes.io/local-config';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export interface Kustomization {
  readonly apiVersion?: string;
  readonly kind: 'Kustomization' | 'Component';
  readonly namespace?: string;
  readonly resources?: readonly string[];
  readonly components?: readonly string[];
  readonly patches?: ReadonlyArray<{ readonly path?: string; readonly patch?: string }>;
  readonly images?: ReadonlyArray<{
    readonly name: string;
    readonly newName?: string;
    readonly newTag?: string;
    readonly digest?: string;
  }>;
  readonly replacements?: readonly Replacement[];
}

interface ResourceSelector {
  readonly kind: string;
  readonly name: string;
}

export interface Replacement {
  readonly source: ResourceSelector & { readonly fieldPath: string };
  readonly targets: ReadonlyArray<{
    readonly select: ResourceSelector;
    readonly fieldPaths: readonly string[];
    readonly options?: { readonly delimiter?: string; readonly index?: number };
  }>;
}

const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'components',
  'patches',
  'images',
  'replacements',
]);

// Kinds without a namespace among those a gateway might ship; kustomize leaves them alone.
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'PersistentVolume',
  'IngressClass',
  'ClusterTriggerAuthentication',
]);

/** Reads every YAML document of a file, skipping empty ones (a trailing `---`). */
export function readYamlDocuments(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]!.message}`);
    const value: unknown = document.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

function readKustomization(dir: string): Kustomization {
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
    .map((name) => join(dir, name))
    .find((path) => existsSync(path));
  if (!file) throw new Error(`${dir}: no kustomization.yaml`);
  const [kustomization, ...rest] = readYamlDocuments(file);
  if (rest.length > 0 || !isObject(kustomization)) throw new Error(`${file}: expected one object`);
  return kustomization as unknown as Kustomization;
}

function buildLayer(dir: string, kustomization: Kustomization, inherited: Manifest[]): Manifest[] {
  const unsupported = Object.keys(kustomization).filter((field) => !SUPPORTED_FIELDS.has(field));
  if (unsupported.length > 0) {
    throw new Error(`${dir}: the renderer does not support ${unsupported.join(', ')}`);
  }
  let manifests = [...inherited];
  for (const resource of kustomization.resources ?? []) {
    const path = resolve(dir, resource);
    if (existsSync(path) && statSync(path).isDirectory()) {
      const nested = readKustomization(path);
      if (nested.kind !== 'Kustomization') throw new Error(`${path}: a Component belongs in components`);
      manifests.push(...buildLayer(path, nested, []));
    } else {
      manifests.push(...readManifests(insideRoot(dir, resource)));
    }
  }
  for (const component of kustomization.components ?? []) {
    const path = resolve(dir, component);
    const nested = readKustomization(path);
    if (nested.kind !== 'Component') throw new Error(`${path}: components must be of kind Component`);
    manifests = buildLayer(path, nested, manifests);
  }
  assertUniqueIds(dir, manifests);
  for (const entry of kustomization.patches ?? []) applyPatch(dir, manifests, entry);
  for (const image of kustomization.images ?? []) setImage(manifests, image);
  if (kustomization.namespace !== undefined) setNamespace(dir, manifests, kustomization.namespace);
  for (const replacement of kustomization.replacements ?? []) replace(dir, manifests, replacement);
  return manifests;
}

function selectOne(dir: string, manifests: readonly Manifest[], { kind, name }: ResourceSelector): Manifest {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name === name);
  if (found.length !== 1) throw new Error(`${dir}: replacement selects ${found.length} ${kind}/${name}`);
  return found[0]!;
}

function pathOf(dir: string, fieldPath: string): Array<string | number> {
  if (/[[\]=*]/.test(fieldPath)) throw new Error(`${dir}: the renderer supports dotted field paths only`);
  return fieldPath.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** kustomize's replacements: a field's value copied into others (a string's delimited part). */
function replace(dir: string, manifests: readonly Manifest[], { source, targets }: Replacement): void {
  const value = pathOf(dir, source.fieldPath).reduce<unknown>(
    (node, key) => (node as Record<string | number, unknown> | undefined)?.[key],
    selectOne(dir, manifests, source),
  );
  if (typeof value !== 'string') throw new Error(`${dir}: ${source.fieldPath} is not a string`);
  for (const target of targets) {
    const manifest = selectOne(dir, manifests, target.select);
    for (const fieldPath of target.fieldPaths) {
      const path = pathOf(dir, fieldPath);
      const parent = path
        .slice(0, -1)
        .reduce<unknown>(
          (node, key) => (node as Record<string | number, unknown> | undefined)?.[key],
          manifest,
        );
      const key = path[path.length - 1]!;
      const current = (parent as Record<string | number, unknown> | undefined)?.[key];
      if (typeof current !== 'string') throw new Error(`${dir}: ${fieldPath} is not a string field`);
      const { delimiter, index } = target.options ?? {};
      let next = value;
      if (delimiter !== undefined) {
        const parts = current.split(delimiter);
        if (index === undefined || index < 0 || index >= parts.length) {
          throw new Error(`${dir}: ${fieldPath} has no field ${index} between ${delimiter}`);
        }
        parts[index] = value;
        next = parts.join(delimiter);
      }
      (parent as Record<string | number, unknown>)[key] = next;
    }
  }
}

function insideRoot(dir: string, file: string): string {
  const path = resolve(dir, file);
  const fromRoot = relative(dir, path);
  if (fromRoot.startsWith(`..${sep}`) || fromRoot === '..') {
    throw new Error(`${dir}: ${file} is outside the kustomization's directory, which kustomize refuses`);
  }
  return path;
}

function readManifests(file: string): Manifest[] {
  return readYamlDocuments(file).map((document) => {
    if (!isManifest(document)) throw new Error(`${file}: a document without apiVersion, kind or name`);
    return document;
  });
}

function isManifest(value: unknown): value is Manifest {
  return (
    isObject(value) &&
    typeof value.apiVersion === 'string' &&
    typeof value.kind === 'string' &&
    isObject(value.metadata) &&
    typeof value.metadata.name === 'string'
  );
}

function idOf(manifest: Manifest): string {
  const group = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : '';
  return `${group}/${manifest.kind}/${manifest.metadata.namespace ?? ''}/${manifest.metadata.name}`;
}

function assertUniqueIds(dir: string, manifests: readonly Manifest[]): void {
  const seen = new Set<string>();
  for (const manifest of manifests) {
    const id = idOf(manifest);
    if (seen.has(id)) throw new Error(`${dir}: ${id} is defined twice`);
    seen.add(id);
  }
}

function applyPatch(dir: string, manifests: Manifest[], entry: { path?: string; patch?: string }): void {
  const unsupported = Object.keys(entry).filter((field) => field !== 'path' && field !== 'patch');
  if (unsupported.length > 0 || (entry.path === undefined) === (entry.patch === undefined)) {
    throw new Error(`${dir}: only patches with either path or patch (and no target) are supported`);
  }
  const documents = entry.path
    ? readYamlDocuments(insideRoot(dir, entry.path))
    : parseAllDocuments(entry.patch!).map((d) => d.toJS() as unknown);
  for (const patch of documents) {
    if (!isManifest(patch)) throw new Error(`${dir}: only strategic-merge patches are supported`);
    if (JSON.stringify(patch).includes('"$patch"'))
      throw new Error(`${dir}: $patch directives are not supported`);
    const targets = manifests.filter(
      (m) =>
        m.kind === patch.kind &&
        groupOf(m.apiVersion) === groupOf(patch.apiVersion) &&
        m.metadata.name === patch.metadata.name &&
        (patch.metadata.namespace === undefined || m.metadata.namespace === patch.metadata.namespace),
    );
    if (targets.length !== 1) {
      throw new Error(
        `${dir}: patch ${patch.kind}/${patch.metadata.name} matches ${targets.length} resources`,
      );
    }
    const target = targets[0]!;
    const merged = strategicMerge(target, patch, [], isBuiltIn(target.apiVersion) ? target.kind : undefined);
    manifests[manifests.indexOf(target)] = merged as Manifest;
  }
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

function isBuiltIn(apiVersion: string): boolean {
  const group = groupOf(apiVersion);
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/**
 * The list merge keys of Kubernetes' own types that a patch may meet here (`patchMergeKey` in
 * the API reference); other lists, and every list of a custom resource, are replaced whole.
 */
function mergeKeyOf(
  path: readonly string[],
  kind: string | undefined,
  items: readonly unknown[],
): string | undefined {
  if (kind === undefined) return undefined;
  const field = path[path.length - 1];
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'ports':
      if (kind === 'Service' && path.join('.') === 'spec.ports') return 'port';
      return items.every((item) => isObject(item) && 'containerPort' in item) ? 'containerPort' : undefined;
    default:
      return undefined;
  }
}

/** Kubernetes' strategic merge: maps merge, `null` deletes, lists merge by their key. */
export function strategicMerge(
  target: unknown,
  patch: unknown,
  path: string[],
  kind: string | undefined,
): unknown {
  if (isObject(target) && isObject(patch)) {
    const merged: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = key in target ? strategicMerge(target[key], value, [...path, key], kind) : value;
    }
    return merged;
  }
  if (Array.isArray(target) && Array.isArray(patch)) {
    const key = mergeKeyOf(path, kind, [...target, ...patch]);
    if (key === undefined) return patch;
    const merged = [...target];
    const added: unknown[] = [];
    for (const item of patch) {
      const at = merged.findIndex(
        (existing) => isObject(existing) && isObject(item) && existing[key] === item[key],
      );
      if (at === -1) added.push(item);
      else merged[at] = strategicMerge(merged[at], item, path, kind);
    }
    // kustomize puts the items only the patch has before the others (kubectl kustomize agrees).
    return [...added, ...merged];
  }
  return patch;
}

/** The pod specs of a workload, where its containers' images are. */
export function podSpecsOf(manifest: Manifest): Array<Record<string, unknown>> {
  const spec = manifest.spec;
  if (!isObject(spec)) return [];
  if (manifest.kind === 'Pod') return [spec];
  if (manifest.kind === 'CronJob') {
    const job = spec.jobTemplate;
    return isObject(job) && isObject(job.spec)
      ? podSpecsOf({ ...manifest, kind: 'Job', spec: job.spec })
      : [];
  }
  const template = spec.template;
  return isObject(template) && isObject(template.spec) ? [template.spec] : [];
}

function setImage(manifests: readonly Manifest[], image: NonNullable<Kustomization['images']>[number]): void {
  for (const podSpec of manifests.flatMap(podSpecsOf)) {
    for (const field of ['initContainers', 'containers']) {
      const containers = podSpec[field];
      if (!Array.isArray(containers)) continue;
      for (const container of containers) {
        if (!isObject(container) || typeof container.image !== 'string') continue;
        const { name, tag, digest } = parseImage(container.image);
        if (name !== image.name) continue;
        const newName = image.newName ?? name;
        if (image.digest) container.image = `${newName}@${image.digest}`;
        else if (image.newTag) container.image = `${newName}:${image.newTag}`;
        else container.image = `${newName}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
      }
    }
  }
}

/** An image reference's name, tag and digest (a port in the registry host is not a tag). */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest, digest] = image.split('@') as [string, string | undefined];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const name = colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
  const tag = colon === -1 ? undefined : withoutDigest.slice(colon + 1);
  return { name, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

function setNamespace(dir: string, manifests: readonly Manifest[], namespace: string): void {
  for (const manifest of manifests) {
    if (manifest.kind === 'Namespace') {
      // Whether kustomize renames a Namespace object has changed between versions; keep both
      // readings equal by refusing a Namespace that is not the one set here.
      if (manifest.metadata.name !== namespace) {
        throw new Error(`${dir}: Namespace ${manifest.metadata.name} differs from namespace: ${namespace}`);
      }
    } else if (!CLUSTER_SCOPED.has(manifest.kind)) {
      manifest.metadata = { ...manifest.metadata, namespace };
    }
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
