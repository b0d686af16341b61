import { readFileSync } from 'node:fs';
import type { z } from 'zod';

/** Raised when the environment does not satisfy a schema; its message lists every problem. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = this.constructor.name;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses environment variables with a schema whose keys are the variable names. A secret may
 * come from a file instead: `KAARAI_PASSWORD_FILE=/run/secrets/kaarai` is read as
 * `KAARAI_PASSWORD` (one trailing newline trimmed), which is how Kubernetes and Docker mount them.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): Readonly<z.infer<S>> {
  const problems: string[] = [];
  // Variables whose file could not be used; zod's "is required" about them would only confuse.
  const reported = new Set<string>();
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const fileVar = `${key}_FILE`;
    const file = env[fileVar];
    if (file !== undefined && file !== '') {
      if (env[key] !== undefined && env[key] !== '') {
        problems.push(`${key}: set either ${key} or ${fileVar}, not both`);
        reported.add(key);
        continue;
      }
      try {
        input[key] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      } catch (error) {
        problems.push(`${fileVar}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
        reported.add(key);
      }
      continue;
    }
    // An empty variable counts as unset, as in most shells' `FOO= cmd` idiom.
    input[key] = env[key] === '' ? undefined : env[key];
  }

  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.') || '(environment)';
      if (reported.has(key)) continue;
      problems.push(
        `${key}: ${input[key] === undefined && issue.code === 'invalid_type' ? 'is required' : issue.message}`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(parsed.data as z.infer<S>);
}
