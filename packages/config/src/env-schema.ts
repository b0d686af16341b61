import { z } from 'zod';

/** A variable to fix, and what is wrong with it. */
export type ConfigProblem = readonly [key: string, message: string];

/**
 * A schema of environment variables, keyed by their names, with the checks that involve several
 * of them. Those run even when a variable is invalid (`when`: zod skips refinements after a
 * failure), so that one start-up error lists every problem; until then, a value they read may
 * be anything the environment held, which is why they test its type before using it.
 */
export function envSchema<Shape extends z.core.$ZodLooseShape>(
  shape: Shape,
  problemsOf: (config: z.output<z.ZodObject<Shape>>) => Iterable<ConfigProblem>,
) {
  return z.object(shape).superRefine(
    (config, ctx) => {
      for (const [key, message] of problemsOf(config)) ctx.addIssue({ code: 'custom', path: [key], message });
    },
    { when: () => true },
  );
}
