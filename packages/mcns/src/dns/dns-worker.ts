import type dgram from 'node:dgram';
import { createLogger, openDatabase, type LogLevel } from '@metacircular/mcdsl';
import { openMcnsStore } from '../store/index.js';
import type { DnsConfig } from './dns-config.js';
import { buildEngine } from './engine-factory.js';
import { attachUdp } from './udp-listener.js';

/**
 * The entry of an extra UDP process (`[dns] workers` > 1), forked by startDnsServer. It opens
 * the database itself, read-only (PRAGMA query_only), and answers datagrams from the UDP
 * sockets the server process hands it over IPC; the kernel gives each datagram to whichever
 * process reads it first. Its answer cache follows the database through the change stamp (a
 * commit by the server process moves PRAGMA data_version), so writes show here as they do
 * there. It has its own forward cache. It exits when the server process disconnects.
 */

/** workerFlag marks the forked process as a DNS worker (its only argument). */
export const workerFlag = '--mcns-dns-worker';

/** WorkerInit is the first IPC message a worker gets. */
export interface WorkerInit {
  readonly kind: 'init';
  readonly databasePath: string;
  readonly config: DnsConfig;
  readonly logLevel: LogLevel;
}

/** WorkerSocket hands the worker one UDP socket (sent as the IPC handle). */
export interface WorkerSocket {
  readonly kind: 'socket';
}

if (process.send !== undefined && process.argv.includes(workerFlag)) runWorker();

function runWorker(): void {
  let engine: ReturnType<typeof buildEngine> | undefined;
  const sockets: dgram.Socket[] = [];
  process.on('message', (message: WorkerInit | WorkerSocket, handle?: unknown) => {
    if (message.kind === 'init') {
      const logger = createLogger({ service: 'mcns', level: message.logLevel }).child({ dnsWorker: process.pid });
      const db = openDatabase(message.databasePath);
      const store = openMcnsStore(db);
      db.pragma('query_only = ON');
      engine = buildEngine(store, message.config, logger);
      process.on('disconnect', () => {
        for (const socket of sockets) socket.close();
        engine?.forwarder?.close();
        db.close();
        process.exit(0);
      });
      process.send?.({ kind: 'ready' });
    } else if (message.kind === 'socket' && engine !== undefined && handle !== undefined) {
      const socket = handle as dgram.Socket;
      sockets.push(socket);
      attachUdp(socket, engine.engine, engine.logger);
    }
  });
}
