import type { z } from 'zod';

/**
 * The env-override and unknown-key walks need to see a zod schema's structure: which keys an
 * object has, what a leaf expects. These functions read zod 4's public `_zod.def` and look
 * through the wrappers (optional, default, pipe, ...) that do not change the shape of the input.
 */

/** SchemaDef is the part of a zod 4 definition the walks read. */
interface SchemaDef {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly getter?: () => z.ZodType;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly catchall?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly values?: readonly unknown[];
}

/** defOf returns the definition of a schema. */
export function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

const wrapperTypes = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** unwrapSchema follows wrappers down to the schema that decides the shape of the input. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 64; depth++) {
    const def = defOf(current);
    if (wrapperTypes.has(def.type) && def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in;
    else if (def.type === 'lazy' && def.getter !== undefined) current = def.getter();
    else return current;
  }
  return current;
}

/** ObjectShape is what an object schema says about its keys. */
export interface ObjectShape {
  readonly shape: Readonly<Record<string, z.ZodType>>;
  /** true unless the object accepts extra keys (z.looseObject or a catchall) */
  readonly strict: boolean;
}

/** objectShapeOf returns the keys of an object schema, or undefined for any other schema. */
export function objectShapeOf(schema: z.ZodType): ObjectShape | undefined {
  const def = defOf(unwrapSchema(schema));
  if (def.type !== 'object' || def.shape === undefined) return undefined;
  // A plain z.object() silently strips unknown keys; config treats it as strict too, so that a
  // misspelled key is an error whichever constructor the service used.
  const strict = def.catchall === undefined || defOf(def.catchall).type === 'never';
  return { shape: def.shape, strict };
}

/** recordValueOf returns the value schema of a z.record, or undefined for any other schema. */
export function recordValueOf(schema: z.ZodType): z.ZodType | undefined {
  const def = defOf(unwrapSchema(schema));
  return def.type === 'record' ? def.valueType : undefined;
}

/** arrayElementOf returns the element schema of a z.array, or undefined for any other schema. */
export function arrayElementOf(schema: z.ZodType): z.ZodType | undefined {
  const def = defOf(unwrapSchema(schema));
  return def.type === 'array' ? def.element : undefined;
}

/** isPlainObject is true for the tables a TOML parse produces (not arrays, not dates). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** getAt reads the value at a key path, or undefined where the path does not exist. */
export function getAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * setAt writes a value at a key path of plain objects, creating missing tables on the way. It
 * returns false (and writes nothing) when a step of the path holds something that is not a
 * table, which validation then reports.
 */
export function setAt(root: Record<string, unknown>, path: readonly string[], value: unknown): boolean {
  let node = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    } else if (isPlainObject(next)) {
      node = next;
    } else {
      return false;
    }
  }
  const last = path[path.length - 1];
  if (last === undefined) return false;
  node[last] = value;
  return true;
}
