import type { Caller, Logger } from '@metacircular/mcdsl';
import { currentAuditScope, type AuditLog } from '../audit/index.js';
import type { AcmeSection } from '../config.js';
import type { Engine, EngineHost, EngineType, OpContext } from '../engine/index.js';
import type { MountTable } from '../mounts/index.js';
import type { PolicyRuleStore } from '../policy/index.js';
import { CoreOpContext } from './op-context.js';

/**
 * CoreEngineHost is the EngineHost the core lends every engine module: live engines by mount
 * (sealed, unknown and wrong-type mounts refused with the right error), per-call OpContexts
 * backed by the policy store, and the audit log for work that is not an RPC.
 */
export class CoreEngineHost implements EngineHost {
  readonly now: () => Date;
  readonly logger: Logger;
  /** acme is the `[acme]` section of the config (read it with acmeSettingsOf) */
  readonly acme: AcmeSection;
  readonly #mounts: MountTable;
  readonly #policy: () => PolicyRuleStore;
  readonly #audit: AuditLog;

  constructor(opts: {
    mounts: MountTable;
    policy: () => PolicyRuleStore;
    audit: AuditLog;
    acme: AcmeSection;
    now: () => Date;
    logger: Logger;
  }) {
    this.#mounts = opts.mounts;
    this.#policy = opts.policy;
    this.#audit = opts.audit;
    this.acme = opts.acme;
    this.now = opts.now;
    this.logger = opts.logger;
  }

  resolve<E extends Engine>(mount: string, type: EngineType): E {
    return this.#mounts.engine(mount, type) as E;
  }

  context(caller: Caller, mount: string): OpContext {
    return new CoreOpContext(caller, mount, () => this.#policy().list());
  }

  audit(record: Parameters<EngineHost['audit']>[0]): void {
    this.#audit.record({
      caller: record.caller?.username,
      accountType: record.caller?.accountType,
      isAdmin: record.caller?.isAdmin ?? false,
      action: record.action,
      mount: record.mount,
      resource: record.resource,
      result: record.result,
      reason: record.reason,
      requestId: currentAuditScope()?.requestId,
      detail: record.detail,
    });
  }
}

/**
 * acmeSettingsOf returns the `[acme]` config section through an EngineHost (the engine contract
 * carries no config, and only the CA engine's ACME server needs this); undefined for a host that
 * is not the core's (engine unit tests).
 */
export function acmeSettingsOf(host: EngineHost): AcmeSection | undefined {
  return host instanceof CoreEngineHost ? host.acme : undefined;
}
