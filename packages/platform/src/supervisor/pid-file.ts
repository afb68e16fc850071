import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ConflictError } from '@metacircular/mcdsl';
import { identityOf, isSameProcess } from './process-identity.js';
import type { ProcessIdentity } from './process-identity.js';

/** PidFile is a held run/supervisor.pid; release removes it if it still names this process. */
export interface PidFile {
  readonly path: string;
  readonly identity: ProcessIdentity;
  release(): void;
}

/**
 * acquirePidFile claims `path` for this process with an exclusive create, so two `mc up` on one
 * directory cannot both win. A file naming a process that is gone (or a different process with
 * a reused pid) is stale and is replaced; a live one is a conflict whose message says what to do.
 */
export function acquirePidFile(path: string, conflictMessage: (holderPid: number | undefined) => string): PidFile {
  const identity = identityOf(process.pid);
  const content = `${identity.pid}\n${identity.start ?? ''}\n`;
  for (let tries = 0; ; tries += 1) {
    try {
      writeFileSync(path, content, { flag: 'wx', mode: 0o644 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readPidFile(path);
      if ((holder !== undefined && isSameProcess(holder)) || tries > 0) {
        throw new ConflictError(conflictMessage(holder?.pid));
      }
      rmSync(path, { force: true });
    }
  }
  return {
    path,
    identity,
    release: () => {
      if (readPidFile(path)?.pid === identity.pid) rmSync(path, { force: true });
    },
  };
}

/** readPidFile reads a pid file: the pid on line one, its start time (if known) on line two. */
export function readPidFile(path: string): ProcessIdentity | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const [pidLine = '', startLine = ''] = text.split('\n');
  const pid = Number(pidLine.trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return startLine.trim() === '' ? { pid } : { pid, start: startLine.trim() };
}
