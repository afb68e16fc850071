import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * ProcessIdentity is a pid plus, on Linux, the process's start time (clock ticks after boot,
 * field 22 of /proc/<pid>/stat). Pids are reused; the pair is not, so `mc down` never signals an
 * unrelated process that happens to have inherited a recorded pid.
 */
export interface ProcessIdentity {
  readonly pid: number;
  readonly start?: string;
}

const hasProc = existsSync('/proc/self/stat');

// statFields returns the fields after "pid (comm)"; comm may hold spaces and parentheses.
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** processStartTime is the start time of `pid`, or undefined off Linux or when it is gone. */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** identityOf captures the identity of a running process. */
export function identityOf(pid: number): ProcessIdentity {
  const start = processStartTime(pid);
  return start === undefined ? { pid } : { pid, start };
}

/**
 * isProcessAlive says whether `pid` runs. A zombie does not count: an orphan whose parent has
 * exited waits for init to reap it, and some inits (in containers and micro-VMs) never do, so
 * `kill(pid, 0)` alone would report a finished process as alive forever.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (!hasProc) return true;
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** isSameProcess says whether the process recorded as `identity` is still the one running. */
export function isSameProcess(identity: ProcessIdentity): boolean {
  if (!isProcessAlive(identity.pid)) return false;
  if (identity.start === undefined) return true;
  const start = processStartTime(identity.pid);
  return start === undefined || start === identity.start;
}

/**
 * signalProcessGroup signals the process group led by `pid` (each service runs in its own, so
 * helpers it spawned get the signal too), falling back to the process alone if it leads none.
 * A group or process that is already gone is not an error.
 */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
}

/**
 * waitUntilGone polls until none of `identities` runs, or `timeoutMs` passes; true when all are
 * gone. Polling is the only way to watch a process that is not our child.
 */
export async function waitUntilGone(identities: readonly ProcessIdentity[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!identities.some(isSameProcess)) return true;
    if (Date.now() >= deadline) return false;
    await delay(25);
  }
}
