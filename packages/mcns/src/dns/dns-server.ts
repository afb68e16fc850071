import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { parseListenAddress, type Logger } from '@metacircular/mcdsl';
import type { DnsConfig } from './dns-config.js';
import type { DnsStore } from './dns-store.js';
import { buildEngine } from './engine-factory.js';
import { Notifier } from './notifier.js';
import type { QueryEngine } from './query-engine.js';
import { bindTcp, type TcpLimits } from './tcp-listener.js';
import { bindUdp, type BoundListener } from './udp-listener.js';
import { UdpWorkerPool } from './udp-worker-pool.js';

/** StartDnsServerOptions are the server's dependencies; `now`, `tcp` and the NOTIFY schedule exist for tests. */
export interface StartDnsServerOptions {
  readonly store: DnsStore;
  readonly config: DnsConfig;
  readonly logger: Logger;
  /** the forward cache's clock in milliseconds (default Date.now) */
  readonly now?: () => number;
  readonly tcp?: TcpLimits;
  /** NOTIFY retry schedule (default 1, 2, 4, 8 s) */
  readonly notifyRetryDelaysMs?: readonly number[];
  /** the SQLite file, which UDP worker processes open (needed when `[dns] workers` > 1) */
  readonly databasePath?: string;
}

/** DnsServer is a running DNS server. */
export interface DnsServer {
  /** one entry per listen address, each served on UDP and TCP at this port */
  readonly addresses: Array<{ host: string; port: number }>;
  /** close stops listening, abandons forwards and NOTIFYs; the store stays open */
  close(): Promise<void>;
}

/**
 * startDnsServer binds every `[dns] listen_addr` on UDP and TCP (the same port; with port 0 the
 * kernel's UDP pick is reused for TCP, retrying if TCP finds it taken) and serves the store's
 * zones. An in-process write clears the encoded-answer cache at once and sends NOTIFY to the
 * secondaries; writes by other processes are caught by the change stamp (see answer-cache.ts).
 * With `[dns] workers` > 1, that many minus one extra processes read the same UDP sockets.
 * A failure part-way closes whatever was already bound.
 */
export async function startDnsServer(options: StartDnsServerOptions): Promise<DnsServer> {
  const { store, config, logger } = options;
  const { engine, forwarder } = buildEngine(store, config, logger, options.now);
  const notifier = new Notifier({ secondaries: config.secondaries, logger, retryDelaysMs: options.notifyRetryDelaysMs });
  const unsubscribe = store.onChange((zone) => {
    engine.clearAnswers();
    notifier.notify(zone);
  });

  const listeners: BoundListener[] = [];
  const addresses: Array<{ host: string; port: number }> = [];
  let pool: UdpWorkerPool | undefined;
  const close = async (): Promise<void> => {
    unsubscribe();
    notifier.close();
    forwarder?.close();
    await pool?.close();
    await Promise.all(listeners.splice(0).map((l) => l.close()));
  };
  try {
    for (const text of config.listen_addr) {
      const { host, port } = parseListenAddress(text, '[dns] listen_addr');
      const bound = await bindPair(host, port, engine, logger, options.tcp, listeners);
      addresses.push(bound);
      logger.info({ address: `${bound.host}:${bound.port}` }, 'dns: listening on udp and tcp');
    }
    if (config.workers > 1) {
      if (options.databasePath === undefined) throw new Error('dns: [dns] workers > 1 needs startDnsServer({ databasePath })');
      const sockets = listeners.flatMap((l) => (l.udp ? [l.udp] : []));
      pool = new UdpWorkerPool({ count: config.workers - 1, databasePath: options.databasePath, config, logger, sockets });
      await pool.start();
      logger.info({ workers: config.workers }, 'dns: udp answered by several processes');
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { addresses, close };
}

async function bindPair(
  configuredHost: string | undefined,
  port: number,
  engine: QueryEngine,
  logger: Logger,
  tcp: TcpLimits | undefined,
  listeners: BoundListener[],
): Promise<{ host: string; port: number }> {
  const hosts = configuredHost === undefined ? ['::', '0.0.0.0'] : [await addressOf(configuredHost)];
  let lastError: unknown;
  for (const host of hosts) {
    // With port 0 the TCP bind can lose the race for the UDP port; a few tries settle it.
    for (let attempt = 0; attempt < (port === 0 ? 10 : 1); attempt++) {
      let udp: BoundListener | undefined;
      try {
        udp = await bindUdp(host, port, engine, logger);
        const stream = await bindTcp(host, udp.port, engine, logger, tcp);
        listeners.push(udp, stream);
        return { host, port: udp.port };
      } catch (err) {
        lastError = err;
        await udp?.close();
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EADDRINUSE' || port !== 0) break;
      }
    }
  }
  throw lastError;
}

/** addressOf resolves a listen host given as a name (e.g. "localhost") to an address. */
async function addressOf(host: string): Promise<string> {
  if (isIP(host) !== 0) return host;
  return (await lookup(host)).address;
}
