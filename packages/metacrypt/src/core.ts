import type { Authenticator, Logger, SqliteDatabase } from '@metacircular/mcdsl';
import type { AuditLog } from './audit/index.js';
import type { Barrier } from './barrier/index.js';
import type { MetacryptConfig } from './config.js';
import type { EngineModule } from './engine/index.js';
import type { CoreEngineHost } from './host/index.js';
import type { MountTable } from './mounts/index.js';
import type { PolicyRuleStore } from './policy/index.js';
import type { SealManager } from './seal/index.js';

/** metacryptVersion is reported by /v1/status. */
export const metacryptVersion = '0.1.0';

/**
 * Core is everything the RPC handlers use, built once by the composition root (main.ts,
 * through buildCore) and handed to each service factory. Handlers hold no state of their own.
 */
export interface Core {
  readonly config: MetacryptConfig;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly db: SqliteDatabase;
  /** the key hierarchy and the encrypted views */
  readonly barrier: Barrier;
  /** the state machine: init, unseal (throttled), seal */
  readonly seal: SealManager;
  readonly mounts: MountTable;
  /** policy rules, stored under the MEK at sys/policy/ */
  readonly policy: PolicyRuleStore;
  readonly audit: AuditLog;
  /** what engine modules get: live engines, op contexts, audit */
  readonly host: CoreEngineHost;
  /** MCIAS: login forwarding and token validation (30 s cache) */
  readonly authenticator: Authenticator;
  readonly modules: readonly EngineModule[];
  /** where `snapshot` writes (`<database dir>/backups`) */
  readonly backupsDir: string;
  readonly version: string;
}
