// Prints the tables of environment variables of docs/configuration.md, generated from the configuration schemas
// so that the documentation cannot drift from what the services accept.
//   npx tsx scripts/env-table.ts            print the tables
//   npx tsx scripts/env-table.ts --write    replace them in docs/configuration.md, between the markers
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  apiConfigSchema,
  archiverConfigSchema,
  simulatorConfigSchema,
  workerConfigSchema,
} from '../packages/config/src/index';

export const START_MARKER = '<!-- env-table:start -->';
export const END_MARKER = '<!-- env-table:end -->';
export const CONFIGURATION_DOC_PATH = join(__dirname, '..', 'docs', 'configuration.md');

/** What the tables need of a zod 4 schema field; `def` and `isOptional` are zod's public API. */
interface EnvField {
  readonly description?: string;
  readonly def: { readonly type: string; readonly defaultValue?: unknown };
  isOptional(): boolean;
}

interface EnvSchema {
  readonly shape: Readonly<Record<string, unknown>>;
}

/** The services whose environment docs/configuration.md documents, with the schema each one parses. */
export const SERVICES: ReadonlyArray<readonly [title: string, schema: EnvSchema]> = [
  ['API (`services/api`)', apiConfigSchema],
  ['Worker (`services/worker`)', workerConfigSchema],
  ['Archiver (`services/archiver`)', archiverConfigSchema],
  ['Kaarai simulator (`services/kaarai-simulator`)', simulatorConfigSchema],
];

export interface EnvVariable {
  readonly name: string;
  readonly description: string;
  /** The description points at `NAME_FILE`: the value belongs in a file, not in the environment. */
  readonly secret: boolean;
  /** Neither optional nor defaulted. */
  readonly required: boolean;
  /** Present when the schema fills in a default. */
  readonly defaultValue?: unknown;
}

/** The variables a schema reads, in declaration order. */
export function envVariables(schema: EnvSchema): EnvVariable[] {
  return Object.entries(schema.shape).map(([name, value]) => {
    const field = value as EnvField;
    const description = field.description ?? '';
    return {
      name,
      description,
      secret: description.includes(`${name}_FILE`),
      required: !field.isOptional(),
      ...(field.def.type === 'default' && { defaultValue: field.def.defaultValue }),
    };
  });
}

/** The Markdown that belongs between the markers: one table per service. */
export function envTables(): string {
  const sections = SERVICES.map(([title, schema]) => `### ${title}\n\n${envTable(schema)}`);
  const note =
    'Any variable `NAME` can instead be read from a file named by `NAME_FILE` (one trailing newline is ' +
    'trimmed), which is how Docker and Kubernetes mount secrets; setting both is an error. ' +
    'An empty variable counts as unset.';
  return [...sections, note].join('\n\n');
}

function envTable(schema: EnvSchema): string {
  const rows = envVariables(schema).map(({ name, description, secret }) => {
    const variable = secret ? `\`${name}\` or \`${name}_FILE\` (secret)` : `\`${name}\``;
    return `| ${variable} | ${escapeCell(description)} |`;
  });
  return ['| Variable | Description |', '| --- | --- |', ...rows].join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The text between the markers, or undefined when the markers are missing or out of order. */
export function textBetweenMarkers(document: string): string | undefined {
  const start = document.indexOf(START_MARKER);
  const end = document.indexOf(END_MARKER);
  if (start === -1 || end === -1 || end < start) return undefined;
  return document.slice(start + START_MARKER.length, end);
}

/** The document with the text between the markers replaced by `content`. */
export function replaceBetweenMarkers(document: string, content: string): string {
  const start = document.indexOf(START_MARKER);
  const end = document.indexOf(END_MARKER);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`the document needs ${START_MARKER} and, after it, ${END_MARKER}`);
  }
  return `${document.slice(0, start + START_MARKER.length)}\n${content}\n${document.slice(end)}`;
}

function writeTables(): void {
  if (!existsSync(CONFIGURATION_DOC_PATH)) {
    throw new Error(
      `${CONFIGURATION_DOC_PATH} does not exist; create it with ${START_MARKER} and ${END_MARKER} in it`,
    );
  }
  const page = readFileSync(CONFIGURATION_DOC_PATH, 'utf8');
  const updated = replaceBetweenMarkers(page, envTables());
  if (updated !== page) writeFileSync(CONFIGURATION_DOC_PATH, updated);
  process.stderr.write(`${updated === page ? 'already up to date' : 'updated'}: ${CONFIGURATION_DOC_PATH}\n`);
}

if (require.main === module) {
  try {
    if (process.argv.includes('--write')) writeTables();
    else process.stdout.write(`${envTables()}\n`);
  } catch (error) {
    process.stderr.write(`env-table: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
