import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-write.js';
import type { ProcessIdentity } from './process-identity.js';

/**
 * ChildrenFile is run/children.json: the identity of every service process the supervisor has
 * running, rewritten on each start and exit. It is how `mc down` finds children left behind by
 * a supervisor that was killed outright (SIGKILL, OOM) and could not stop them itself.
 */
export type ChildrenFile = Readonly<Record<string, ProcessIdentity>>;

/** writeChildrenFile records the running children atomically. */
export function writeChildrenFile(path: string, children: ChildrenFile): void {
  writeFileAtomic(path, JSON.stringify(children, null, 2) + '\n', 0o644);
}

/** readChildrenFile reads run/children.json; missing or unreadable means no known children. */
export function readChildrenFile(path: string): ChildrenFile {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return {};
    const children: Record<string, ProcessIdentity> = {};
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
      const pid = (value as { pid?: unknown } | null)?.pid;
      const start = (value as { start?: unknown } | null)?.start;
      if (typeof pid === 'number' && Number.isInteger(pid) && pid > 0) {
        children[name] = typeof start === 'string' ? { pid, start } : { pid };
      }
    }
    return children;
  } catch {
    return {};
  }
}
