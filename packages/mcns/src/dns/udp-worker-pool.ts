import { type ChildProcess, fork } from 'node:child_process';
import type dgram from 'node:dgram';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger, LogLevel } from '@metacircular/mcdsl';
import type { DnsConfig } from './dns-config.js';
import { type WorkerInit, workerFlag } from './dns-worker.js';

/** UdpWorkerPoolOptions describe the extra UDP processes. */
export interface UdpWorkerPoolOptions {
  readonly count: number;
  readonly databasePath: string;
  readonly config: DnsConfig;
  readonly logger: Logger;
  /** the bound UDP sockets every worker reads too */
  readonly sockets: readonly dgram.Socket[];
}

const here = fileURLToPath(import.meta.url);
// dns-worker.js beside this file once compiled; dns-worker.ts when run from source with tsx
// (fork passes tsx's loader on through execArgv).
const workerEntry = join(dirname(here), `dns-worker${extname(here)}`);
const readyTimeoutMs = 15_000;
const maxRestarts = 10;

/**
 * UdpWorkerPool runs `count` extra processes answering UDP on the server's own sockets, so that
 * UDP answering uses more than one core (Node answers on one thread; a DNS answer is mostly two
 * system calls, which a second process can make in parallel). A worker that dies is replaced,
 * at most ten times over the pool's life, so a crash loop cannot spin.
 */
export class UdpWorkerPool {
  readonly #options: UdpWorkerPoolOptions;
  readonly #workers = new Set<ChildProcess>();
  #closing = false;
  #restarts = 0;

  /** UdpWorkerPool forks nothing until start. */
  constructor(options: UdpWorkerPoolOptions) {
    this.#options = options;
  }

  /** start forks every worker and resolves when all of them are serving. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.#options.count }, () => this.#spawn()));
  }

  /** close disconnects every worker and waits for it to exit (killing it after 5 s). */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all([...this.#workers].map((w) => stop(w)));
  }

  #spawn(): Promise<void> {
    const { databasePath, config, logger, sockets } = this.#options;
    const child = fork(workerEntry, [workerFlag], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    this.#workers.add(child);
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('dns: udp worker did not start in time')), readyTimeoutMs);
      child.once('message', () => {
        clearTimeout(timer);
        for (const socket of sockets) child.send({ kind: 'socket' }, socket);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`dns: udp worker exited with ${code} while starting`));
      });
    });
    child.on('exit', (code, signal) => {
      this.#workers.delete(child);
      if (this.#closing) return;
      logger.warn({ code, signal }, 'dns: udp worker exited');
      if (this.#restarts++ < maxRestarts) {
        this.#spawn().catch((err: unknown) => logger.error({ err }, 'dns: udp worker restart failed'));
      }
    });
    const init: WorkerInit = { kind: 'init', databasePath, config, logLevel: logger.level as LogLevel };
    child.send(init);
    return ready;
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.disconnect();
    else child.kill('SIGTERM');
  });
}
