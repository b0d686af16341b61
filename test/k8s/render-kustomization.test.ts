import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KUSTOMIZATIONS, productionOverlayIn, RENDERINGS } from './gateway-manifests';
import {
  KUBECTL_KUSTOMIZE,
  type KustomizationSource,
  renderWithKubectl,
  renderWithRenderer,
} from './kustomize';
import { type Manifest, parseImage, renderKustomization } from './render-kustomization';

// The renderer stands in for `kubectl kustomize` in the other tests of this folder where kubectl
// is not installed; these cases pin down the kustomize behaviour it reproduces, and that it
// refuses what it does not.

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'render-kustomization-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: main
          image: app
          env:
            - name: A
              value: "1"
          resources:
            limits:
              memory: 1Gi
        - name: sidecar
          image: registry.local:5000/sidecar:2.0
`;

function base(extra = ''): void {
  write('base/deployment.yaml', DEPLOYMENT);
  write(
    'base/kustomization.yaml',
    `kind: Kustomization\nresources:\n  - deployment.yaml\n  - config.yaml\n${extra}`,
  );
  write('base/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  A: "1"\n');
}

describe('renderKustomization', () => {
  it('builds a directory of resources and sets the namespace on namespaced kinds only', () => {
    base();
    write('overlay/namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n');
    write(
      'overlay/kustomization.yaml',
      'kind: Kustomization\nnamespace: prod\nresources: [namespace.yaml, ../base]\n',
    );
    const manifests = renderKustomization(join(root, 'overlay'));
    expect(manifests.map((m) => [m.kind, m.metadata.name, m.metadata.namespace])).toEqual([
      ['Namespace', 'prod', undefined],
      ['Deployment', 'app', 'prod'],
      ['ConfigMap', 'app', 'prod'],
    ]);
  });

  it('merges a strategic-merge patch: containers and env by name (new ones first), maps key by key, null deletes', () => {
    base();
    write(
      'overlay/patch.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: null
  template:
    spec:
      containers:
        - name: main
          env:
            - name: B
              value: "2"
          resources:
            requests:
              cpu: 100m
`,
    );
    write(
      'overlay/kustomization.yaml',
      'kind: Kustomization\nresources: [../base]\npatches:\n  - path: patch.yaml\n',
    );
    const [deployment] = renderKustomization(join(root, 'overlay'));
    const spec = deployment!.spec as { replicas?: number; template: { spec: { containers: unknown[] } } };
    expect(spec.replicas).toBeUndefined();
    expect(spec.template.spec.containers).toEqual([
      {
        name: 'main',
        image: 'app',
        // kustomize puts what only the patch has first.
        env: [
          { name: 'B', value: '2' },
          { name: 'A', value: '1' },
        ],
        resources: { limits: { memory: '1Gi' }, requests: { cpu: '100m' } },
      },
      { name: 'sidecar', image: 'registry.local:5000/sidecar:2.0' },
    ]);
  });

  it('replaces the lists of a custom resource whole, as kustomize does without its schema', () => {
    write(
      'widget.yaml',
      'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  items: [a, b]\n',
    );
    write(
      'patch.yaml',
      'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  items: [c]\n',
    );
    write(
      'kustomization.yaml',
      'kind: Kustomization\nresources: [widget.yaml]\npatches: [{ path: patch.yaml }]\n',
    );
    expect(renderKustomization(root)[0]!.spec).toEqual({ items: ['c'] });
  });

  it('sets image names and tags, and leaves other images alone', () => {
    base('images:\n  - name: app\n    newName: registry.example.com/app\n    newTag: "1.2.3"\n');
    const [deployment] = renderKustomization(join(root, 'base'));
    const containers = (deployment!.spec as { template: { spec: { containers: Array<{ image: string }> } } })
      .template.spec.containers;
    expect(containers.map((c) => c.image)).toEqual([
      'registry.example.com/app:1.2.3',
      'registry.local:5000/sidecar:2.0',
    ]);
  });

  it('adds a component’s resources to the layer that lists it', () => {
    base();
    write('extra/kustomization.yaml', 'kind: Component\nresources: [more.yaml]\n');
    write('extra/more.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: more\n');
    write(
      'overlay/kustomization.yaml',
      'kind: Kustomization\nresources: [../base]\ncomponents: [../extra]\n',
    );
    expect(renderKustomization(join(root, 'overlay')).map((m) => m.metadata.name)).toEqual([
      'app',
      'app',
      'more',
    ]);
  });

  it.each([
    [
      'a field it does not implement',
      'kind: Kustomization\nresources: [a.yaml]\ncommonLabels: { a: b }\n',
      /commonLabels/,
    ],
    ['a file outside its directory', 'kind: Kustomization\nresources: [../elsewhere.yaml]\n', /outside/],
    [
      'a patch that matches nothing',
      'kind: Kustomization\nresources: [a.yaml]\npatches: [{ path: p.yaml }]\n',
      /matches 0/,
    ],
    [
      'a patch with a target',
      'kind: Kustomization\nresources: [a.yaml]\npatches: [{ path: a.yaml, target: { kind: ConfigMap } }]\n',
      /target/,
    ],
    ['a resource defined twice', 'kind: Kustomization\nresources: [a.yaml, again/a.yaml]\n', /twice/],
  ])('refuses %s', (_case, kustomization, message) => {
    write('dir/a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    write('dir/again/a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    write('dir/p.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n');
    write('elsewhere.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n');
    write('dir/kustomization.yaml', kustomization);
    expect(() => renderKustomization(join(root, 'dir'))).toThrow(message);
  });
});

describe('parseImage', () => {
  it.each([
    ['app', { name: 'app' }],
    ['app:1.0', { name: 'app', tag: '1.0' }],
    ['registry.local:5000/team/app', { name: 'registry.local:5000/team/app' }],
    [
      'registry.local:5000/app:1.0@sha256:abc',
      { name: 'registry.local:5000/app', tag: '1.0', digest: 'sha256:abc' },
    ],
  ])('reads %s', (image, parts) => {
    expect(parseImage(image)).toEqual(parts);
  });
});

// Where kubectl is installed, the other tests of this folder read its rendering, and the
// renderer, which stands in for it elsewhere, must give the same documents: for every way
// deploy/README.md installs the gateway, and for the production overlay moved to another namespace.
const PARITY_CASES: ReadonlyArray<readonly [string, KustomizationSource]> = [
  ...KUSTOMIZATIONS,
  ['overlays/production in namespace sms-staging', productionOverlayIn('sms-staging')],
];

(KUBECTL_KUSTOMIZE === undefined ? describe.skip : describe)(
  `against kubectl kustomize (kustomize ${KUBECTL_KUSTOMIZE ?? 'not installed'})`,
  () => {
    it.each(PARITY_CASES)('renders %s as kubectl does', (_name, source) => {
      const byId = (manifests: readonly Manifest[]) =>
        [...manifests].sort((a, b) =>
          `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`),
        );
      const theirs = renderWithKubectl(source);
      expect(theirs.length).toBeGreaterThan(0);
      expect(byId(renderWithRenderer(source))).toEqual(byId(theirs));
    });

    it('is what the other tests of this folder read', () => {
      for (const [name, render] of RENDERINGS) {
        const source = KUSTOMIZATIONS.find(([other]) => other === name)![1];
        expect([name, render()]).toEqual([name, renderWithKubectl(source)]);
      }
    });
  },
);
