import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceDefinition } from './service-definition.js';

/**
 * locateServiceEntry finds the compiled CLI of a service, or undefined when the service is not
 * built yet. It looks for the package the way node does (node_modules folders up from here,
 * ignoring "exports", which need not expose package.json), reads its "bin" field, and checks
 * the file is there: a package whose `tsc -b` has not run is not built either.
 */
export function locateServiceEntry(definition: ServiceDefinition, from = here()): string | undefined {
  if (definition.entry !== undefined) return existsSync(definition.entry) ? definition.entry : undefined;
  const packageDir = findPackageDir(definition.package, from);
  if (packageDir === undefined) return undefined;
  let bin: unknown;
  try {
    bin = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin?: unknown }).bin;
  } catch {
    return undefined;
  }
  const relative = typeof bin === 'string' ? bin : (bin as Record<string, unknown> | undefined)?.[definition.bin];
  if (typeof relative !== 'string') return undefined;
  const entry = resolve(packageDir, relative);
  return existsSync(entry) ? entry : undefined;
}

/** findPackageDir walks up from `from` looking in each node_modules for `name`. */
export function findPackageDir(name: string, from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function here(): string {
  return dirname(fileURLToPath(import.meta.url));
}
