import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConflictError, PreconditionError, UnavailableError } from '@metacircular/mcdsl';
import { readPlatformFile } from '../platform-file.js';
import type { PlatformFile } from '../platform-file.js';
import { ensureLayout, platformLayout } from '../platform-layout.js';
import { readPidFile } from '../supervisor/pid-file.js';
import { isSameProcess } from '../supervisor/process-identity.js';
import { isSupervisorEvent } from '../supervisor/supervisor-event.js';
import type { SupervisorEvent } from '../supervisor/supervisor-event.js';
import { alreadyRunning } from './up.js';

/** UpDetachedOptions are UpOptions for a supervisor that runs in its own background process. */
export interface UpDetachedOptions {
  readonly dir?: string;
  readonly domain?: string;
  /** a module exporting `registry` (an array of service definitions) to run instead of the real one */
  readonly registryModule?: string;
  readonly onEvent?: (event: SupervisorEvent) => void;
  /** the compiled `mc` CLI to run as `mc supervise`; default the one beside this module */
  readonly mcBin?: string;
  /** give up (and stop the supervisor) if the platform is not up by then; default 10 min */
  readonly timeoutMs?: number;
}

/** DetachedPlatform is a platform left running in the background. */
export interface DetachedPlatform {
  readonly supervisorPid: number;
  readonly file: PlatformFile;
}

/**
 * upDetached starts `mc supervise --dir DIR` as a detached process (own session, output to
 * logs/supervisor.log) and relays its events over an IPC channel until it reports `ready`;
 * then it lets go of the channel, so the supervisor outlives the caller. A supervisor that
 * fails sends `failed` with the reason and exits; that reason is thrown here.
 */
export async function upDetached(options: UpDetachedOptions = {}): Promise<DetachedPlatform> {
  const layout = platformLayout(options.dir);
  ensureLayout(layout);
  const holder = readPidFile(layout.supervisorPid);
  if (holder !== undefined && isSameProcess(holder)) throw new ConflictError(alreadyRunning(layout.dir, holder.pid));
  const mcBin = options.mcBin ?? fileURLToPath(new URL('../cli/mc.js', import.meta.url));
  if (!existsSync(mcBin)) {
    throw new PreconditionError(`${mcBin} does not exist; build the platform first with: npx tsc -b packages/platform`);
  }
  const args = [mcBin, 'supervise', '--dir', layout.dir];
  if (options.domain !== undefined) args.push('--domain', options.domain);
  if (options.registryModule !== undefined) args.push('--registry', options.registryModule);

  const log = openSync(layout.supervisorLog, 'a', 0o600);
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log, 'ipc'] });
  closeSync(log);

  return new Promise<DetachedPlatform>((resolve, reject) => {
    let failure: string | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      failure = `the platform did not come up within ${Math.round((options.timeoutMs ?? 600_000) / 1000)}s; see ${layout.supervisorLog}`;
    }, options.timeoutMs ?? 600_000);
    const finish = (): void => {
      clearTimeout(timer);
      child.removeAllListeners();
    };
    child.on('message', (message: unknown) => {
      if (!isSupervisorEvent(message)) return;
      options.onEvent?.(message);
      if (message.type === 'failed') failure = message.message;
      if (message.type !== 'ready' || child.pid === undefined) return;
      finish();
      child.disconnect();
      child.unref();
      const file = readPlatformFile(layout.platformFile);
      if (file === undefined) reject(new UnavailableError(`supervisor is up but ${layout.platformFile} is missing`));
      else resolve({ supervisorPid: child.pid, file });
    });
    // 'close', not 'exit': it comes after the last IPC message, so a 'failed' reason is never lost.
    child.once('close', (code, signal) => {
      finish();
      reject(
        new UnavailableError(
          failure ??
            `the supervisor exited (${signal ?? `code ${code}`}) before the platform was up; see ${layout.supervisorLog}`,
        ),
      );
    });
    child.once('error', (err) => {
      finish();
      reject(err);
    });
  });
}
