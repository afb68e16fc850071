import { readFileSync } from 'node:fs';
import { PreconditionError } from '@metacircular/mcdsl';
import { writeFileAtomic } from './atomic-write.js';

/**
 * ServiceState is where a service is in its life under the supervisor. `not_built` means its
 * package is not installed or not compiled yet; `orphaned` is reported by `mc status` only, for
 * a child still alive after its supervisor died.
 */
export type ServiceState = 'not_built' | 'stopped' | 'starting' | 'running' | 'restarting' | 'stopping' | 'failed' | 'orphaned';

/**
 * PlatformServiceEntry is one service in platform.json: its state and pid, its health URL, where
 * its files are, and every endpoint the service definition declares (`rest`, `grpc`, `web`, ...),
 * flat beside them so clients find `services.mcias.rest` directly.
 */
export interface PlatformServiceEntry {
  readonly state: ServiceState;
  readonly pid: number | null;
  readonly health?: string;
  readonly config?: string;
  readonly data_dir?: string;
  readonly log?: string;
  readonly [endpoint: string]: string | number | readonly string[] | null | undefined;
}

/**
 * PlatformFile is DIR/platform.json, the one document other tools read to find the platform:
 * which CA to trust, who the admin is, and where each service listens. It never holds a secret,
 * only the paths of the files (mode 0600) that do.
 */
export interface PlatformFile {
  readonly version: 1;
  readonly dir: string;
  readonly domain: string;
  readonly ca_cert: string;
  readonly admin: { readonly username: string; readonly password_file: string };
  /**
   * the system-account token file (0600) of every service but MCIAS, by service name; present
   * when MCIAS is built, the files filled once it has started
   */
  readonly system_tokens?: Readonly<Record<string, string>>;
  readonly services: Readonly<Record<string, PlatformServiceEntry>>;
}

/** writePlatformFile replaces platform.json atomically, so readers never see half a document. */
export function writePlatformFile(path: string, file: PlatformFile): void {
  writeFileAtomic(path, JSON.stringify(file, null, 2) + '\n', 0o644);
}

/** readPlatformFile reads platform.json; undefined when there is none yet. */
export function readPlatformFile(path: string): PlatformFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new PreconditionError(`${path} is not valid JSON; run mc up again to rewrite it`, { cause: err });
  }
  if (!isPlatformFile(parsed)) {
    throw new PreconditionError(`${path} is not a version 1 platform file; run mc up again to rewrite it`);
  }
  return parsed;
}

function isPlatformFile(value: unknown): value is PlatformFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v['version'] === 1 &&
    typeof v['dir'] === 'string' &&
    typeof v['domain'] === 'string' &&
    typeof v['services'] === 'object' &&
    v['services'] !== null
  );
}
