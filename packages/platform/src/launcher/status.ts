import { PreconditionError } from '@metacircular/mcdsl';
import { readPlatformFile } from '../platform-file.js';
import type { PlatformFile, PlatformServiceEntry, ServiceState } from '../platform-file.js';
import { platformLayout } from '../platform-layout.js';
import { readChildrenFile } from '../supervisor/children-file.js';
import { probeHealth } from '../supervisor/health-probe.js';
import { readPidFile } from '../supervisor/pid-file.js';
import { isSameProcess } from '../supervisor/process-identity.js';
import { readCAPem } from './prepare-platform.js';

/** ServiceStatus is a platform.json service entry checked against reality. */
export interface ServiceStatus {
  readonly state: ServiceState;
  readonly pid: number | null;
  /** the health check's verdict now; null when the service has no process to check */
  readonly healthy: boolean | null;
  /** every other field of the platform.json entry: health URL, endpoints, paths */
  readonly [field: string]: string | number | boolean | readonly string[] | null | undefined;
}

/** PlatformStatus is what `mc status --json` prints. */
export interface PlatformStatus {
  readonly dir: string;
  /** true while a supervisor process for this directory runs */
  readonly running: boolean;
  readonly supervisor_pid: number | null;
  readonly domain: string;
  readonly ca_cert: string;
  readonly admin: PlatformFile['admin'];
  readonly system_tokens?: PlatformFile['system_tokens'];
  readonly services: Readonly<Record<string, ServiceStatus>>;
}

/**
 * status reads platform.json and checks it: is the supervisor alive, is each recorded process
 * alive (matched by pid and start time), and does it pass its health check right now. A
 * service whose supervisor is gone is `stopped`, or `orphaned` if its process survived.
 */
export async function status(options: { dir?: string; probe?: boolean } = {}): Promise<PlatformStatus> {
  const layout = platformLayout(options.dir);
  const file = readPlatformFile(layout.platformFile);
  if (file === undefined) {
    throw new PreconditionError(
      `there is no platform in ${layout.dir} (no platform.json); start one with: mc up --dir ${layout.dir}`,
    );
  }
  const holder = readPidFile(layout.supervisorPid);
  const running = holder !== undefined && isSameProcess(holder);
  const children = readChildrenFile(layout.childrenFile);
  const ca = options.probe === false ? '' : readCAPem(file);
  const services: Record<string, ServiceStatus> = {};
  await Promise.all(
    Object.entries(file.services).map(async ([name, entry]) => {
      services[name] = await serviceStatus(entry, children[name], running, options.probe === false ? undefined : ca);
    }),
  );
  // Promise.all fills the map out of order; rebuild it in bootstrap (file) order.
  const ordered = Object.fromEntries(Object.keys(file.services).map((name) => [name, services[name] as ServiceStatus]));
  return {
    dir: layout.dir,
    running,
    supervisor_pid: running ? holder.pid : null,
    domain: file.domain,
    ca_cert: file.ca_cert,
    admin: file.admin,
    ...(file.system_tokens === undefined ? {} : { system_tokens: file.system_tokens }),
    services: ordered,
  };
}

async function serviceStatus(
  entry: PlatformServiceEntry,
  child: { pid: number; start?: string } | undefined,
  supervised: boolean,
  ca: string | undefined,
): Promise<ServiceStatus> {
  if (entry.state === 'not_built') return { ...entry, healthy: null };
  const alive = entry.pid !== null && isSameProcess(child?.pid === entry.pid ? child : { pid: entry.pid });
  let state: ServiceState = entry.state;
  if (!supervised) state = alive ? 'orphaned' : 'stopped';
  const pid = alive ? entry.pid : null;
  let healthy: boolean | null = null;
  if (alive && ca !== undefined && typeof entry.health === 'string') {
    healthy = (await probeHealth(entry.health, { ca })).ok;
  }
  return { ...entry, state, pid, healthy };
}
