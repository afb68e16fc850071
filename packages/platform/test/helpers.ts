import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import type { PlatformSupervisor } from '../src/supervisor/platform-supervisor.js';
import type { SupervisorEvent } from '../src/supervisor/supervisor-event.js';
import { locateServiceEntry } from '../src/registry/locate-service.js';
import { serviceDefinitions } from '../src/registry/service-definitions.js';
import { mcBin } from './fixtures/paths.js';

const run = promisify(execFile);

/** HTTPSResult is a parsed JSON answer and the TLS version it came over. */
export interface HTTPSResult {
  readonly status: number;
  readonly body: unknown;
  readonly protocol: string | null;
  readonly peerNames: string;
}

/** getJSON GETs `url`, trusting only `ca` (certificate and host name are always verified). */
export function getJSON(url: string, ca?: string): Promise<HTTPSResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...(ca === undefined ? {} : { ca }), agent: false, rejectUnauthorized: true }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const socket = res.socket as TLSSocket;
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
          protocol: socket.getProtocol?.() ?? null,
          peerNames: socket.getPeerCertificate?.().subjectaltname ?? '',
        });
      });
    });
    req.once('error', reject);
    req.end();
  });
}

/**
 * nextEvent resolves with the first event from `supervisor` that matches. The timeout only
 * turns a hang into a clear failure; nothing waits on it in a passing run.
 */
export function nextEvent(
  supervisor: PlatformSupervisor,
  match: (event: SupervisorEvent) => boolean,
  timeoutMs = 30_000,
): Promise<SupervisorEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      supervisor.off('event', listener);
      reject(new Error(`no matching supervisor event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (event: SupervisorEvent): void => {
      if (!match(event)) return;
      clearTimeout(timer);
      supervisor.off('event', listener);
      resolve(event);
    };
    supervisor.on('event', listener);
  });
}

/** modeOf is the permission bits of a file, e.g. 0o600. */
export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

/**
 * isGone checks that `pid` no longer runs: kill(pid, 0) fails with ESRCH, or (for a
 * process whose parent exited, on a machine whose init does not reap orphans) it is a zombie.
 */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** mc runs the compiled `mc` CLI and returns its output; a non-zero exit rejects. */
export function mc(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [mcBin, ...args], { timeout: 120_000 });
}

/** mcFails runs the CLI expecting a non-zero exit and returns what it printed. */
export async function mcFails(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await mc(...args);
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  throw new Error(`mc ${args.join(' ')} succeeded`);
}

/** assertServicesBuilt fails early, with the command to run, when a real service is not compiled. */
export function assertServicesBuilt(names: readonly string[]): void {
  for (const name of names) {
    const definition = serviceDefinitions.find((d) => d.name === name);
    if (definition === undefined || locateServiceEntry(definition) === undefined) {
      throw new Error(`${name} is not built; build the whole repo first with: npx tsc -b`);
    }
  }
}
