import { dirname, join } from 'node:path';
import { Authenticator, type Logger, type SqliteDatabase } from '@metacircular/mcdsl';
import { AuditLog } from './audit/index.js';
import { Barrier } from './barrier/index.js';
import type { MetacryptConfig } from './config.js';
import { metacryptVersion, type Core } from './core.js';
import type { EngineModule } from './engine/index.js';
import { CoreEngineHost } from './host/index.js';
import { MountTable } from './mounts/index.js';
import { PolicyRuleStore } from './policy/index.js';
import { SealManager, UnsealThrottle, type UnsealThrottleOptions } from './seal/index.js';
import { BarrierStore, SealConfigStore } from './store/index.js';

/** BuildCoreOptions are buildCore's inputs: a migrated database and the engine modules. */
export interface BuildCoreOptions {
  readonly config: MetacryptConfig;
  readonly db: SqliteDatabase;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly modules: readonly EngineModule[];
  /** PEM of the CA that signs MCIAS's certificate (from `[mcias] ca_cert`) */
  readonly mciasCaCert?: Buffer;
  readonly unsealThrottle?: UnsealThrottleOptions;
}

/**
 * buildCore wires the domain objects, innermost first: stores -> barrier -> mount table ->
 * seal state machine -> policy store -> audit log -> engine host -> MCIAS authenticator. It
 * does no I/O beyond preparing statements; Metacrypt starts sealed (or uninitialized).
 */
export function buildCore(opts: BuildCoreOptions): Core {
  const { config, db, logger, now, modules } = opts;
  const barrier = new Barrier({ store: new BarrierStore(db), sealConfig: new SealConfigStore(db), now });
  const mounts = new MountTable({ barrier, providers: modules.map((m) => m.provider), now, logger });
  const seal = new SealManager({
    barrier,
    mounts,
    throttle: new UnsealThrottle(opts.unsealThrottle),
    kdf: {
      time: config.seal.argon2_time,
      memoryKib: config.seal.argon2_memory_kib,
      parallelism: config.seal.argon2_parallelism,
    },
    logger,
  });
  const policy = new PolicyRuleStore(barrier.coreView('policy/'), now);
  const audit = new AuditLog(db, now, config.audit.enabled);
  const host = new CoreEngineHost({ mounts, policy: () => policy, audit, acme: config.acme, now, logger });
  const authenticator = new Authenticator(
    {
      serverUrl: config.mcias.server_url,
      ...(opts.mciasCaCert ? { caCert: opts.mciasCaCert } : {}),
      serviceName: config.mcias.service_name,
      tags: config.mcias.tags,
    },
    { logger },
  );
  return {
    config,
    now,
    logger,
    db,
    barrier,
    seal,
    mounts,
    policy,
    audit,
    host,
    authenticator,
    modules,
    backupsDir: join(dirname(config.database.path), 'backups'),
    version: metacryptVersion,
  };
}
