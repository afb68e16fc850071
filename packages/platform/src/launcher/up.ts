import { serviceDefinitions } from '../registry/service-definitions.js';
import type { ServiceDefinition } from '../registry/service-definition.js';
import { validateRegistry } from '../registry/validate-registry.js';
import { ensureLayout, platformLayout } from '../platform-layout.js';
import { acquirePidFile } from '../supervisor/pid-file.js';
import { PlatformSupervisor } from '../supervisor/platform-supervisor.js';
import type { PlatformSupervisorOptions } from '../supervisor/platform-supervisor.js';
import type { SupervisorEvent } from '../supervisor/supervisor-event.js';
import { preparePlatform } from './prepare-platform.js';

/** UpOptions choose the directory, domain and services of a platform, and how to watch it. */
export interface UpOptions {
  /** platform directory; default ./.metacircular */
  readonly dir?: string;
  /** platform domain; default: the one last used in `dir`, else metacircular.internal */
  readonly domain?: string;
  /** services to run, in bootstrap order; default the real registry */
  readonly registry?: readonly ServiceDefinition[];
  /** called with every supervisor event, from the first `not-built` to `ready` */
  readonly onEvent?: (event: SupervisorEvent) => void;
  readonly supervisor?: PlatformSupervisorOptions;
  /** aborting stops the platform: during startup `up` then rejects, after it the supervisor stops */
  readonly signal?: AbortSignal;
}

/**
 * up runs a platform in this process: it claims the directory's pid file (one supervisor per
 * directory), prepares the directory (CA, certificates, configs, ports), starts the services in
 * bootstrap order and resolves once all are healthy, with the supervisor that keeps them
 * running. The caller stops them with `stop()`. If anything fails, whatever started is
 * stopped, the pid file released, and the error thrown.
 */
export async function up(options: UpOptions = {}): Promise<PlatformSupervisor> {
  const layout = platformLayout(options.dir);
  const registry = options.registry ?? serviceDefinitions;
  validateRegistry(registry);
  ensureLayout(layout);
  const pidFile = acquirePidFile(layout.supervisorPid, (pid) => alreadyRunning(layout.dir, pid));
  let supervisor: PlatformSupervisor | undefined;
  try {
    const prepared = await preparePlatform({
      layout,
      registry,
      ...(options.domain === undefined ? {} : { domain: options.domain }),
    });
    options.signal?.throwIfAborted();
    const started = new PlatformSupervisor(prepared.plan, pidFile, options.supervisor);
    supervisor = started;
    if (options.onEvent !== undefined) started.on('event', options.onEvent);
    options.signal?.addEventListener('abort', () => void started.stop(), { once: true });
    await started.start();
    return started;
  } catch (err) {
    if (supervisor === undefined) pidFile.release();
    throw err;
  }
}

/** alreadyRunning is the message for a second `mc up` on a directory whose platform runs. */
export function alreadyRunning(dir: string, pid: number | undefined): string {
  return `the platform in ${dir} is already running (supervisor pid ${pid ?? 'unknown'}); stop it first with: mc down --dir ${dir}`;
}
