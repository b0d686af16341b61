import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Container, environmentOf, exampleSecrets, podSpec } from './gateway-manifests';
import type { Manifest } from './render-kustomization';

/** The Secret and key whose file a container sees at `path`, through a Secret volume mount. */
export function secretKeyAt(
  deployment: Manifest,
  c: Container,
  path: string,
): { secret: string; key: string } {
  const mount = (c.volumeMounts ?? []).find((m) => path.startsWith(`${m.mountPath}/`));
  if (!mount) throw new Error(`${c.name}: nothing is mounted at ${path}`);
  const volumes = (podSpec(deployment).volumes ?? []) as Array<{
    name: string;
    secret?: { secretName: string };
  }>;
  const volume = volumes.find((v) => v.name === mount.name);
  if (!volume?.secret) throw new Error(`${c.name}: ${mount.mountPath} is not a Secret volume`);
  if (mount.readOnly !== true) throw new Error(`${c.name}: ${mount.mountPath} is not mounted read-only`);
  return { secret: volume.secret.secretName, key: path.slice(mount.mountPath.length + 1) };
}

/**
 * The container's environment as the manifests give it, except that every `NAME_FILE` points
 * at a file in `dir` holding the value secret.example.yaml gives the mounted Secret key: what
 * the container would read, given the example Secrets.
 */
export function environmentWithExampleSecrets(
  manifests: readonly Manifest[],
  deployment: Manifest,
  c: Container,
  dir: string,
): Record<string, string> {
  const env = environmentOf(manifests, c);
  const secrets = exampleSecrets();
  for (const [name, path] of Object.entries(env)) {
    if (!name.endsWith('_FILE')) continue;
    const { secret, key } = secretKeyAt(deployment, c, path);
    const value = secrets.get(secret)?.[key];
    if (value === undefined) throw new Error(`secret.example.yaml has no key ${key} in Secret ${secret}`);
    const file = join(dir, `${secret}-${key}`);
    // As Kubernetes writes a Secret created from a file that ends with a newline.
    writeFileSync(file, `${value}\n`);
    env[name] = file;
  }
  return env;
}
