import { readFileSync } from 'node:fs';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod';
import type { ConfigIssue } from './config-error.js';
import { ConfigError } from './config-error.js';
import { findUnknownKeys, issuesFromZod } from './config-issues.js';
import { applyEnvOverrides } from './env-overrides.js';
import { applyPortOverrides } from './port-overrides.js';

/** LoadConfigOptions says which file to read, for which service, against which schema. */
export interface LoadConfigOptions<S extends z.ZodType> {
  /** the TOML file, e.g. /srv/mcr/mcr.toml */
  readonly path: string;
  /** the service name, the prefix of its env overrides (`mcr` -> `MCR_SERVER_LISTEN_ADDR`) */
  readonly service: string;
  /** the one typed config tree; objects in it are treated as strict */
  readonly schema: S;
  /** the environment to read overrides from; process.env by default */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * loadConfig reads a service's config, lowest precedence first:
 *
 *   1. the TOML file (a missing file or a syntax error is a ConfigError naming file and line);
 *   2. `<SERVICE>_<SECTION>_<KEY>` env overrides, coerced to the schema's types;
 *   3. `$PORT`, `$PORT_GRPC`, `$PORT_<NAME>` listen-address overrides;
 *   4. unknown-key check, then zod validation, which applies defaults.
 *
 * It returns the validated tree or throws one ConfigError listing every problem found.
 */
export function loadConfig<S extends z.ZodType>(options: LoadConfigOptions<S>): z.output<S> {
  const { path: file, service, schema } = options;
  const env = options.env ?? process.env;
  const tree = readToml(file);
  const overrides = [...applyEnvOverrides(tree, schema, service, env), ...applyPortOverrides(tree, schema, env, file)];
  const unknown = findUnknownKeys(tree, schema);
  const result = schema.safeParse(tree);
  const invalid = result.success ? [] : issuesFromZod(result.error, tree, overrides);
  // Unknown keys are found twice when the schema is a strictObject; report each once.
  const idOf = (issue: ConfigIssue): string => JSON.stringify(issue.path.map(String));
  const unknownIds = new Set(unknown.map(idOf));
  const issues = [...unknown, ...invalid.filter((issue) => !unknownIds.has(idOf(issue)))];
  if (issues.length > 0 || !result.success) throw new ConfigError(file, issues);
  return result.data;
}

function readToml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'file not found; create it (see deploy/examples/) or point --config at it'
        : code === 'EACCES'
          ? 'permission denied; the service user must be able to read it'
          : `cannot read: ${(err as Error).message}`;
    throw new ConfigError(file, [{ path: [], message }], { cause: err });
  }
  try {
    return parseToml(text);
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    // smol-toml's message is "Invalid TOML document: <why>" followed by a code excerpt.
    const why = (err.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    throw new ConfigError(file, [{ path: [], message: `invalid TOML: ${lowerFirst(why)}` }], {
      cause: err,
      location: `${file}:${err.line}:${err.column}`,
    });
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
