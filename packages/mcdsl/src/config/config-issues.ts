import type { z } from 'zod';
import type { ConfigIssue } from './config-error.js';
import type { EnvOverride } from './env-overrides.js';
import { arrayElementOf, getAt, isPlainObject, objectShapeOf, recordValueOf } from './schema-shape.js';

/**
 * Turns what is wrong with a parsed config into ConfigIssues an operator can act on: unknown
 * keys found by walking the file against the schema, and zod's validation issues reworded
 * (zod's own messages say "Invalid input", not which key or where the value came from).
 * Values are never echoed, since config files hold secrets.
 */

/**
 * findUnknownKeys lists every key in the file that the schema does not have, at any depth,
 * including in tables of records and arrays of tables.
 */
export function findUnknownKeys(tree: unknown, schema: z.ZodType, path: PropertyKey[] = []): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const object = objectShapeOf(schema);
  const recordValue = recordValueOf(schema);
  const element = arrayElementOf(schema);
  if (object !== undefined && isPlainObject(tree)) {
    for (const [key, value] of Object.entries(tree)) {
      const child = object.shape[key];
      if (child !== undefined) issues.push(...findUnknownKeys(value, child, [...path, key]));
      else if (object.strict) issues.push(unknownKey([...path, key], value));
    }
  } else if (recordValue !== undefined && isPlainObject(tree)) {
    for (const [key, value] of Object.entries(tree)) issues.push(...findUnknownKeys(value, recordValue, [...path, key]));
  } else if (element !== undefined && Array.isArray(tree)) {
    tree.forEach((value, i) => issues.push(...findUnknownKeys(value, element, [...path, i])));
  }
  return issues;
}

function unknownKey(path: PropertyKey[], value: unknown): ConfigIssue {
  return isPlainObject(value)
    ? { path, section: true, message: 'unknown section; check its spelling or remove it' }
    : { path, message: 'unknown key; check its spelling or remove it' };
}

/** issuesFromZod rewords zod's issues, naming the env variable where a value came from one. */
export function issuesFromZod(error: z.ZodError, tree: unknown, overrides: readonly EnvOverride[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push(unknownKey([...path, key], getAt(tree, [...path, key])));
      continue;
    }
    const value = getAt(tree, path);
    const override = overrides.find((o) => o.path.length === path.length && o.path.every((k, i) => k === path[i]));
    const from = override === undefined ? '' : ` (from $${override.variable})`;
    if (issue.code === 'invalid_type' && value === undefined) {
      issues.push(
        issue.expected === 'object'
          ? { path, section: true, message: 'required section is missing' }
          : { path, message: 'required value is missing' },
      );
    } else if (issue.code === 'invalid_type') {
      issues.push({ path, message: `expected ${issue.expected}, got ${describe(value)}${from}` });
    } else if (issue.code === 'invalid_value') {
      issues.push({ path, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${from}` });
    } else if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1) {
      issues.push({ path, message: `must not be empty${from}` });
    } else {
      issues.push({ path, message: `${lowerFirst(issue.message)}${from}` });
    }
  }
  return issues;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (isPlainObject(value)) return 'table';
  if (value instanceof Date) return 'date';
  return typeof value;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
