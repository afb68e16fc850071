import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, openSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { UnavailableError } from '@metacircular/mcdsl';
import type { ServiceState } from '../platform-file.js';
import type { ServiceCommand } from '../registry/service-definition.js';
import { probeHealth } from './health-probe.js';
import { signalProcessGroup } from './process-identity.js';
import { RestartBackoff } from './restart-backoff.js';
import type { BackoffOptions } from './restart-backoff.js';
import type { SupervisorEvent } from './supervisor-event.js';

/** SupervisedServiceSpec is one process to keep running: what to run, where, and how to check it. */
export interface SupervisedServiceSpec {
  readonly name: string;
  readonly command: ServiceCommand;
  /** working directory: the service's data directory */
  readonly cwd: string;
  /** stdout and stderr are appended here (mode 0600) */
  readonly logPath: string;
  readonly healthUrl: string;
  /** PEM of the CA that `https:` health checks trust */
  readonly caPem: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** SupervisedServiceOptions tune restarts, stopping and health polling. */
export interface SupervisedServiceOptions {
  readonly backoff?: BackoffOptions;
  /** how long a child gets after SIGTERM before SIGKILL; default 10 s */
  readonly stopGraceMs?: number;
  /** first delay between health checks while starting; it grows to 1 s; default 100 ms */
  readonly healthIntervalMs?: number;
}

/**
 * SupervisedService keeps one service process alive. Its life is a loop: spawn (own process
 * group, output to the log) -> poll health until it answers (state `starting` -> `running`)
 * -> on an unexpected exit wait out the backoff (`restarting`) and spawn again. `stop()` breaks
 * the loop: SIGTERM to the group, SIGKILL after the grace period, and resolves only once the
 * process has exited. Every transition is reported through `onEvent` after the state changes.
 */
export class SupervisedService {
  readonly spec: SupervisedServiceSpec;
  readonly #onEvent: (event: SupervisorEvent) => void;
  readonly #backoff: RestartBackoff;
  readonly #stopGraceMs: number;
  readonly #healthIntervalMs: number;
  #state: ServiceState = 'stopped';
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #spawnedAt = 0;
  #attempt = 0;
  #generation = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #stopping = false;
  #lastHealth = 'not checked yet';
  readonly #healthyWaiters = new Set<{ resolve: () => void; reject: (err: Error) => void }>();

  constructor(spec: SupervisedServiceSpec, options: SupervisedServiceOptions, onEvent: (event: SupervisorEvent) => void) {
    this.spec = spec;
    this.#onEvent = onEvent;
    this.#backoff = new RestartBackoff(options.backoff);
    this.#stopGraceMs = options.stopGraceMs ?? 10_000;
    this.#healthIntervalMs = options.healthIntervalMs ?? 100;
  }

  get state(): ServiceState {
    return this.#state;
  }

  /** pid of the current process, undefined between runs */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** start spawns the service; it is kept running until `stop()`. */
  start(): void {
    if (this.#child !== undefined || this.#restartTimer !== undefined) return;
    this.#stopping = false;
    this.#spawn();
  }

  /** waitHealthy resolves once the service answers its health check, or fails after `timeoutMs`. */
  waitHealthy(timeoutMs: number): Promise<void> {
    if (this.#state === 'running') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (): void => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err: Error): void => {
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.#healthyWaiters.delete(waiter);
        reject(
          new UnavailableError(
            `${this.spec.name} did not become healthy within ${Math.round(timeoutMs / 1000)}s ` +
              `(last check of ${this.spec.healthUrl}: ${this.#lastHealth}); see ${this.spec.logPath}`,
          ),
        );
      }, timeoutMs);
      this.#healthyWaiters.add(waiter);
    });
  }

  /** stop ends the service for good: no more restarts, the process group terminated. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const waiter of this.#healthyWaiters)
      waiter.reject(new UnavailableError(`${this.spec.name} was stopped before it became healthy`));
    this.#healthyWaiters.clear();
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    const child = this.#child;
    if (child?.pid === undefined) {
      if (this.#state !== 'stopped') this.#transition('stopped', { type: 'stopped', service: this.spec.name });
      return;
    }
    const pid = child.pid;
    this.#state = 'stopping';
    signalProcessGroup(pid, 'SIGTERM');
    const killTimer = setTimeout(() => signalProcessGroup(pid, 'SIGKILL'), this.#stopGraceMs);
    await this.#exited;
    clearTimeout(killTimer);
    // Anything the service spawned into its group and left running goes with it.
    signalProcessGroup(pid, 'SIGKILL');
  }

  #spawn(): void {
    const { name, command, cwd, logPath } = this.spec;
    appendFileSync(logPath, `--- mc: starting ${name} at ${new Date().toISOString()} ---\n`, { mode: 0o600 });
    const log = openSync(logPath, 'a', 0o600);
    let child: ChildProcess;
    try {
      // detached: a process group (and session) of its own, so a Ctrl-C in the terminal
      // reaches only the supervisor, which then stops the services in order.
      child = spawn(process.execPath, [command.bin, ...command.args], {
        cwd,
        env: { ...process.env, ...this.spec.env, ...command.env },
        stdio: ['ignore', log, log],
        detached: true,
      });
    } finally {
      closeSync(log);
    }
    const generation = ++this.#generation;
    this.#child = child;
    this.#spawnedAt = Date.now();
    let markExited = (): void => undefined;
    this.#exited = new Promise((resolve) => (markExited = resolve));
    let gone = false;
    const onGone = (code: number | null, signal: string | null): void => {
      if (gone) return;
      gone = true;
      markExited();
      this.#onExit(child, code, signal);
    };
    child.once('exit', onGone);
    child.once('error', (err) => {
      appendFileSync(logPath, `--- mc: could not start ${name}: ${err.message} ---\n`);
      if (child.pid === undefined) onGone(null, null);
    });
    if (child.pid === undefined) return;
    this.#transition('starting', { type: 'starting', service: name, pid: child.pid, attempt: this.#attempt });
    void this.#pollHealth(generation, child.pid);
  }

  async #pollHealth(generation: number, pid: number): Promise<void> {
    let interval = this.#healthIntervalMs;
    while (this.#generation === generation && this.#state === 'starting') {
      const result = await probeHealth(this.spec.healthUrl, { ca: this.spec.caPem });
      this.#lastHealth = result.detail;
      if (this.#generation !== generation || this.#state !== 'starting') return;
      if (result.ok) {
        this.#attempt = 0;
        this.#transition('running', { type: 'healthy', service: this.spec.name, pid, elapsedMs: Date.now() - this.#spawnedAt });
        for (const waiter of this.#healthyWaiters) waiter.resolve();
        this.#healthyWaiters.clear();
        return;
      }
      await delay(interval);
      interval = Math.min(interval * 1.5, 1000);
    }
  }

  #onExit(child: ChildProcess, code: number | null, signal: string | null): void {
    if (this.#child !== child) return;
    this.#child = undefined;
    this.#generation += 1;
    const exited: SupervisorEvent = { type: 'exited', service: this.spec.name, pid: child.pid ?? null, code, signal };
    if (this.#stopping) {
      this.#transition('stopped', exited);
      this.#onEvent({ type: 'stopped', service: this.spec.name });
      return;
    }
    const { delayMs, attempt } = this.#backoff.next(Date.now() - this.#spawnedAt);
    this.#attempt = attempt;
    this.#transition('restarting', exited);
    this.#onEvent({ type: 'restarting', service: this.spec.name, delayMs, attempt });
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (!this.#stopping) this.#spawn();
    }, delayMs);
  }

  #transition(state: ServiceState, event: SupervisorEvent): void {
    this.#state = state;
    this.#onEvent(event);
  }
}
