import { existsSync, rmSync } from 'node:fs';
import { PreconditionError } from '@metacircular/mcdsl';
import { readPlatformFile, writePlatformFile } from '../platform-file.js';
import type { PlatformServiceEntry } from '../platform-file.js';
import { platformLayout } from '../platform-layout.js';
import { readChildrenFile, writeChildrenFile } from '../supervisor/children-file.js';
import { readPidFile } from '../supervisor/pid-file.js';
import { isSameProcess, signalProcessGroup, waitUntilGone } from '../supervisor/process-identity.js';

/** DownOptions choose the platform to stop and how long to wait for it. */
export interface DownOptions {
  readonly dir?: string;
  /** how long the supervisor gets to stop its services before it is killed; default 60 s */
  readonly timeoutMs?: number;
  /** how long orphaned services get after SIGTERM before SIGKILL; default 10 s */
  readonly graceMs?: number;
}

/** DownResult says what `down` found and did. */
export interface DownResult {
  readonly dir: string;
  /** pid of the supervisor that was stopped, null if none was running */
  readonly supervisorPid: number | null;
  /** true if a pid file named a process that was already gone */
  readonly stalePidFile: boolean;
  /** services whose processes outlived their supervisor and were stopped directly */
  readonly orphans: readonly string[];
}

/**
 * down stops the platform in a directory and returns only once none of its processes is left:
 * 1. the supervisor named by run/supervisor.pid gets SIGTERM and stops its services in reverse
 *    order itself; if it is not gone within `timeoutMs` it gets SIGKILL;
 * 2. any service still alive after that (its supervisor was killed outright) is found through
 *    run/children.json and stopped directly: SIGTERM to its group, SIGKILL after `graceMs`;
 * 3. a stale pid file is removed and platform.json marks every service stopped.
 * Processes are matched by pid and start time, so a reused pid is never signalled.
 */
export async function down(options: DownOptions = {}): Promise<DownResult> {
  const layout = platformLayout(options.dir);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const graceMs = options.graceMs ?? 10_000;
  const holder = readPidFile(layout.supervisorPid);
  let supervisorPid: number | null = null;
  let stalePidFile = false;
  if (holder !== undefined && isSameProcess(holder)) {
    if (holder.pid === process.pid) {
      throw new PreconditionError(
        `the platform in ${layout.dir} is supervised by this process; call stop() on its supervisor instead`,
      );
    }
    supervisorPid = holder.pid;
    process.kill(holder.pid, 'SIGTERM');
    if (!(await waitUntilGone([holder], timeoutMs))) {
      process.kill(holder.pid, 'SIGKILL');
      await waitUntilGone([holder], graceMs);
    }
  } else if (holder !== undefined) {
    stalePidFile = true;
  }
  rmSync(layout.supervisorPid, { force: true });

  const orphans = Object.entries(readChildrenFile(layout.childrenFile)).filter(([, child]) => isSameProcess(child));
  for (const [, child] of orphans) signalProcessGroup(child.pid, 'SIGTERM');
  if (
    !(await waitUntilGone(
      orphans.map(([, child]) => child),
      graceMs,
    ))
  ) {
    for (const [, child] of orphans) if (isSameProcess(child)) signalProcessGroup(child.pid, 'SIGKILL');
    await waitUntilGone(
      orphans.map(([, child]) => child),
      graceMs,
    );
  }
  if (existsSync(layout.runDir)) writeChildrenFile(layout.childrenFile, {});

  const file = readPlatformFile(layout.platformFile);
  if (file !== undefined) {
    const services: Record<string, PlatformServiceEntry> = {};
    for (const [name, entry] of Object.entries(file.services)) {
      services[name] = entry.state === 'not_built' ? entry : { ...entry, state: 'stopped', pid: null };
    }
    writePlatformFile(layout.platformFile, { ...file, services });
  }
  return { dir: layout.dir, supervisorPid, stalePidFile, orphans: orphans.map(([name]) => name) };
}
