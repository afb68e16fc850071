import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceDefinition } from './service-definition.js';

/**
 * locateServiceEntry finds the compiled CLI of a service, or undefined when the service is not
 * built yet. It looks for the package the way node does (node_modules folders up from here,
 * ignoring "exports", which need not expose package.json) and then for the compiled CLI at the
 * path every service package uses, `dist/src/cli/<bin>.js`. The package's "bin" field is not
 * used: it points at a committed stub (npm links bins at install time, before `tsc -b` runs),
 * which exists whether or not the service has been built.
 */
export function locateServiceEntry(definition: ServiceDefinition, from = here()): string | undefined {
  if (definition.entry !== undefined) return existsSync(definition.entry) ? definition.entry : undefined;
  const packageDir = findPackageDir(definition.package, from);
  if (packageDir === undefined) return undefined;
  const entry = join(packageDir, 'dist', 'src', 'cli', `${definition.bin}.js`);
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
