import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { PreconditionError } from '@metacircular/mcdsl';
import { writeFileAtomic } from './atomic-write.js';

/** loopback is the only address anything started by `mc` listens on. */
export const loopback = '127.0.0.1';

/** PortMap gives each named listener of a service (rest, grpc, web, ...) its port. */
export type PortMap = Readonly<Record<string, number>>;

/** PortRequest asks for one port per name for a service; names in `udp` must be free for UDP too. */
export interface PortRequest {
  readonly service: string;
  readonly names: readonly string[];
  readonly udp?: readonly string[];
}

/**
 * freeLoopbackPort asks the kernel for a free TCP port by binding 127.0.0.1:0 and closing
 * again. The port can in principle be taken before the service binds it; on loopback, with
 * ports from the ephemeral range, that race is rare and a re-run picks a new port.
 */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, loopback, () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('listening socket has no port');
  return address.port;
}

/** isPortFree says whether `port` can be bound on 127.0.0.1 for TCP (and UDP when asked). */
export async function isPortFree(port: number, opts: { udp?: boolean } = {}): Promise<boolean> {
  const tcp = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, loopback, () => server.close(() => resolve(true)));
  });
  if (!tcp || opts.udp !== true) return tcp;
  return new Promise<boolean>((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      try {
        socket.close();
      } catch {
        // a socket that never bound is already closed
      }
      resolve(false);
    });
    socket.bind(port, loopback, () => socket.close(() => resolve(true)));
  });
}

/**
 * allocatePorts gives every requested listener a loopback port and records them in `file`
 * (ports.json). A port recorded by an earlier run is kept while it is still free, so a re-run
 * keeps its endpoints; otherwise a new free port is taken. No two listeners share a port.
 */
export async function allocatePorts(file: string, requests: readonly PortRequest[]): Promise<Record<string, PortMap>> {
  const stored = readPortsFile(file);
  const taken = new Set<number>();
  const result: Record<string, PortMap> = {};
  for (const request of requests) {
    const ports: Record<string, number> = {};
    for (const name of request.names) {
      const udp = request.udp?.includes(name) === true;
      const previous = stored[request.service]?.[name];
      let port: number | undefined;
      if (isValidPort(previous) && !taken.has(previous) && (await isPortFree(previous, { udp }))) {
        port = previous;
      }
      while (port === undefined) {
        const candidate = await freeLoopbackPort();
        if (!taken.has(candidate) && (!udp || (await isPortFree(candidate, { udp })))) port = candidate;
      }
      taken.add(port);
      ports[name] = port;
    }
    result[request.service] = ports;
  }
  // Services not requested this time (not built yet) keep their recorded ports.
  writeFileAtomic(file, JSON.stringify({ ...stored, ...result }, null, 2) + '\n');
  return result;
}

/** readPortsFile reads ports.json; a missing file is an empty allocation. */
export function readPortsFile(file: string): Record<string, Record<string, number>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, Record<string, number>>;
  } catch (err) {
    throw new PreconditionError(`${file} is not valid JSON; delete it and run mc up again to pick new ports`, {
      cause: err,
    });
  }
}

function isValidPort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1024 && port <= 65535;
}
