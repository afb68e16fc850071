import type { z } from 'zod';
import { arrayElementOf, defOf, isPlainObject, objectShapeOf, recordValueOf, setAt, unwrapSchema } from './schema-shape.js';

/**
 * Generic environment overrides: `<SERVICE>_<SECTION>_<KEY>` (upper-case, non-alphanumerics as
 * `_`) sets `[section] key`, and deeper tables add more parts (`MCR_STORAGE_GC_INTERVAL` sets
 * `[storage.gc] interval`). The names come from walking the schema's shape, and for record
 * tables (`[engines.<name>]`) the keys actually present in the file, so only keys that exist can
 * be overridden. Env values are strings; each is coerced to the type its schema expects.
 */

/** EnvOverride records which variable set which key, so validation errors can name it. */
export interface EnvOverride {
  readonly path: readonly string[];
  readonly variable: string;
}

/** envNamePart is how one key path segment appears in a variable name. */
export function envNamePart(key: string): string {
  return key.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * applyEnvOverrides writes every `<PREFIX>_...` variable that names a leaf of the schema into
 * the parsed tree (in place) and returns what it set.
 */
export function applyEnvOverrides(
  tree: Record<string, unknown>,
  schema: z.ZodType,
  service: string,
  env: NodeJS.ProcessEnv,
): EnvOverride[] {
  const applied: EnvOverride[] = [];
  const walk = (nodeSchema: z.ZodType, node: unknown, path: string[], name: string): void => {
    const object = objectShapeOf(nodeSchema);
    if (object !== undefined) {
      for (const [key, child] of Object.entries(object.shape)) {
        visit(child, isPlainObject(node) ? node[key] : undefined, [...path, key], `${name}_${envNamePart(key)}`);
      }
      return;
    }
    const valueSchema = recordValueOf(nodeSchema);
    if (valueSchema !== undefined && isPlainObject(node)) {
      for (const [key, child] of Object.entries(node)) {
        visit(valueSchema, child, [...path, key], `${name}_${envNamePart(key)}`);
      }
    }
  };
  const visit = (child: z.ZodType, node: unknown, path: string[], name: string): void => {
    if (objectShapeOf(child) !== undefined || recordValueOf(child) !== undefined) {
      walk(child, node, path, name);
      return;
    }
    const raw = env[name];
    if (raw === undefined) return;
    if (setAt(tree, path, coerceEnvValue(raw, child))) applied.push({ path, variable: name });
  };
  walk(schema, tree, [], envNamePart(service));
  return applied;
}

/**
 * coerceEnvValue turns an env string into the type the schema expects: numbers, booleans
 * (true/false/1/0/yes/no/on/off), arrays (JSON `["a","b"]` or comma-separated `a,b`), and for
 * unions the first member that accepts the coerced value. A string that does not convert stays
 * a string, so validation reports it against the expected type.
 */
export function coerceEnvValue(raw: string, schema: z.ZodType): unknown {
  const leaf = unwrapSchema(schema);
  const def = defOf(leaf);
  switch (def.type) {
    case 'number':
      return parseNumber(raw) ?? raw;
    case 'bigint':
      try {
        return BigInt(raw.trim());
      } catch {
        return raw;
      }
    case 'boolean':
      return parseBoolean(raw) ?? raw;
    case 'literal': {
      const literal = def.values?.[0];
      if (typeof literal === 'number') return parseNumber(raw) ?? raw;
      if (typeof literal === 'boolean') return parseBoolean(raw) ?? raw;
      return raw;
    }
    case 'array': {
      const element = arrayElementOf(leaf);
      return splitList(raw).map((item) => (element === undefined ? item : coerceEnvValue(item, element)));
    }
    case 'union':
      for (const option of def.options ?? []) {
        const candidate = coerceEnvValue(raw, option);
        if (option.safeParse(candidate).success) return candidate;
      }
      return raw;
    default:
      return raw;
  }
}

function parseNumber(raw: string): number | undefined {
  const n = raw.trim() === '' ? Number.NaN : Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

function parseBoolean(raw: string): boolean | undefined {
  const text = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  return undefined;
}

function splitList(raw: string): string[] {
  const text = raw.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map((item) => (typeof item === 'string' ? item : String(item)));
    } catch {
      // not JSON: fall through to the comma-separated form
    }
  }
  return text === '' ? [] : text.split(',').map((item) => item.trim());
}
