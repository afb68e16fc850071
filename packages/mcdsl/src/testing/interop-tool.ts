import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** findTool returns the absolute path of an executable on PATH, or undefined. */
export function findTool(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/**
 * interopTool applies the interop rule to an external tool: its path when installed; when it is
 * missing, a skip reason for `t.skip(reason)`, unless MC_REQUIRE_INTEROP=1 (CI), where a
 * missing tool throws so the test fails.
 */
export function interopTool(name: string): { path: string; skip?: undefined } | { path?: undefined; skip: string } {
  const path = findTool(name);
  if (path) return { path };
  if (process.env['MC_REQUIRE_INTEROP'] === '1') {
    throw new Error(`${name} is required for interop tests (MC_REQUIRE_INTEROP=1) but is not on PATH; install it`);
  }
  return { skip: `${name} is not installed; interop test skipped` };
}
