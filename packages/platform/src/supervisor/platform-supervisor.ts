import { EventEmitter } from 'node:events';
import { writePlatformFile } from '../platform-file.js';
import type { PlatformFile, PlatformServiceEntry } from '../platform-file.js';
import type { PlatformLayout } from '../platform-layout.js';
import { writeChildrenFile } from './children-file.js';
import type { PidFile } from './pid-file.js';
import { identityOf } from './process-identity.js';
import type { ProcessIdentity } from './process-identity.js';
import { SupervisedService } from './supervised-service.js';
import type { SupervisedServiceOptions, SupervisedServiceSpec } from './supervised-service.js';
import type { SupervisorEvent } from './supervisor-event.js';

/** PlannedService is one service to supervise, with the hooks of its first start. */
export interface PlannedService extends SupervisedServiceSpec {
  /** runs once during `start()`, right before the first spawn (e.g. fetch its TLS leaf) */
  readonly beforeStart?: () => Promise<void>;
  /** runs once during `start()`, after the first healthy check and before the next service */
  readonly afterStart?: () => Promise<void>;
}

/**
 * SupervisorPlan is what the supervisor runs: services in bootstrap order and the platform.json
 * it keeps current (its service entries get their state and pid updated on every event).
 */
export interface SupervisorPlan {
  readonly layout: PlatformLayout;
  readonly file: PlatformFile;
  readonly services: readonly PlannedService[];
}

/** PlatformSupervisorOptions add the per-service start timeout to the process options. */
export interface PlatformSupervisorOptions extends SupervisedServiceOptions {
  /** how long one service may take to become healthy during `start()`; default 60 s */
  readonly startTimeoutMs?: number;
}

/**
 * PlatformSupervisor runs a platform's services: `start()` brings them up one at a time in
 * bootstrap order (beforeStart, spawn, healthy, afterStart) before the next starts, and fails
 * as a whole, stopping what it started, if one does not come up. After that each service is
 * restarted with backoff whenever it exits. `stop()` stops them in reverse order and releases
 * the pid file. Every event updates platform.json and run/children.json, then is emitted as
 * `event`.
 */
export class PlatformSupervisor extends EventEmitter<{ event: [SupervisorEvent] }> {
  readonly layout: PlatformLayout;
  readonly #services: readonly SupervisedService[];
  readonly #beforeStart: ReadonlyMap<string, () => Promise<void>>;
  readonly #afterStart: ReadonlyMap<string, () => Promise<void>>;
  readonly #pidFile: PidFile;
  readonly #startTimeoutMs: number;
  #file: PlatformFile;
  #children: Record<string, ProcessIdentity> = {};
  #stopped: Promise<void> | undefined;

  constructor(plan: SupervisorPlan, pidFile: PidFile, options: PlatformSupervisorOptions = {}) {
    super();
    this.layout = plan.layout;
    this.#file = plan.file;
    this.#pidFile = pidFile;
    this.#startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.#services = plan.services.map((spec) => new SupervisedService(spec, options, (event) => this.#record(event)));
    this.#beforeStart = new Map(
      plan.services.flatMap((spec) => (spec.beforeStart === undefined ? [] : [[spec.name, spec.beforeStart] as const])),
    );
    this.#afterStart = new Map(
      plan.services.flatMap((spec) => (spec.afterStart === undefined ? [] : [[spec.name, spec.afterStart] as const])),
    );
  }

  /** file is the current platform.json content. */
  get file(): PlatformFile {
    return this.#file;
  }

  /** pidOf is the current pid of a service, undefined while it is not running. */
  pidOf(name: string): number | undefined {
    return this.#services.find((service) => service.spec.name === name)?.pid;
  }

  /** start brings every service up in order; on failure everything is stopped and it throws. */
  async start(): Promise<void> {
    this.#writeFiles();
    for (const [name, entry] of Object.entries(this.#file.services)) {
      if (entry.state === 'not_built') this.emit('event', { type: 'not-built', service: name });
    }
    try {
      for (const service of this.#services) {
        await this.#beforeStart.get(service.spec.name)?.();
        service.start();
        await service.waitHealthy(this.#startTimeoutMs);
        await this.#afterStart.get(service.spec.name)?.();
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.emit('event', { type: 'ready' });
  }

  /** stop stops every service, last started first; calling it again waits for the same stop. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      try {
        for (const service of [...this.#services].reverse()) await service.stop();
      } finally {
        this.#writeFiles();
        this.#pidFile.release();
      }
    })();
    return this.#stopped;
  }

  #record(event: SupervisorEvent): void {
    if (event.type === 'starting') this.#children[event.service] = identityOf(event.pid);
    if (event.type === 'exited') delete this.#children[event.service];
    if ('service' in event) {
      const service = this.#services.find((s) => s.spec.name === event.service);
      const entry = this.#file.services[event.service];
      if (service !== undefined && entry !== undefined) {
        const updated: PlatformServiceEntry = { ...entry, state: service.state, pid: service.pid ?? null };
        this.#file = { ...this.#file, services: { ...this.#file.services, [event.service]: updated } };
      }
      this.#writeFiles();
    }
    this.emit('event', event);
  }

  #writeFiles(): void {
    writePlatformFile(this.layout.platformFile, this.#file);
    writeChildrenFile(this.layout.childrenFile, this.#children);
  }
}
