import type { AccessTable, Caller, Logger, ServiceRegistration } from '@metacircular/mcdsl';
import type { FastifyInstance } from 'fastify';
import type { BarrierView } from './barrier-view.js';

/**
 * The engine framework's contract. The core (barrier, mount table, policy, audit) owns the
 * implementations; each engine in src/engines/<type>/ only sees these types, so a new engine
 * type plugs in without changes to the core (spec §5).
 */

/** EngineType is the `type` of a mount. */
export type EngineType = 'ca' | 'sshca' | 'transit' | 'user';

/** MountInfo is one row of the mount table, as engines see it (the wrapped DEK stays in the core). */
export interface MountInfo {
  readonly name: string;
  readonly type: EngineType;
  /** the engine's own config, as returned by its provider's validateConfig */
  readonly config: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
}

/** EngineDeps is what the core lends every engine. */
export interface EngineDeps {
  readonly now: () => Date;
  readonly logger: Logger;
}

/** Engine is a live, unsealed mount. The core drops it (after seal()) when Metacrypt seals. */
export interface Engine {
  readonly type: EngineType;
  readonly mount: MountInfo;
  /** seal drops (and zeroes where possible) every piece of key material the engine holds in memory */
  seal(): void;
}

/** EngineProvider creates engines of one type; the core keeps one provider per type. */
export interface EngineProvider<E extends Engine = Engine> {
  readonly type: EngineType;
  /** validateConfig checks a mount's config at creation; throws InvalidRequestError naming the bad key */
  validateConfig(config: unknown): Record<string, unknown>;
  /** initialize runs once, inside the mount-creation transaction, to write the initial state */
  initialize(mount: MountInfo, view: BarrierView, deps: EngineDeps): void;
  /** open returns the live engine for a mount of an unsealed Metacrypt */
  open(mount: MountInfo, view: BarrierView, deps: EngineDeps): E;
}

/** AuditDetail is non-secret detail an operation adds to its audit record (serials, SANs, key names). */
export type AuditDetail = Readonly<Record<string, string | number | boolean | readonly string[]>>;

/** PolicyRequest carries what the policy's conditions look at (spec §10.2). */
export interface PolicyRequest {
  /** DNS names (CN included) and IP SANs a certificate would carry */
  readonly sans?: readonly string[];
  /** requested lifetime, checked against a rule's max_ttl */
  readonly ttlMs?: number;
}

/**
 * OpContext is one operation's view of who is asking. Engines call authorize() for every
 * policy-checked operation (admins pass; everyone else needs an allow rule) and note() to add
 * detail to the audit record the core writes for the operation.
 */
export interface OpContext {
  readonly caller: Caller;
  readonly mount: string;
  /** authorize throws ForbiddenError unless policy allows `action` on `resource` for the caller */
  authorize(action: string, resource: string, request?: PolicyRequest): void;
  /** note adds non-secret detail to this operation's audit record */
  note(detail: AuditDetail): void;
}

/** EngineHost is how an engine's API layer reaches live engines. */
export interface EngineHost {
  /**
   * resolve returns the live engine of a mount: SealedError while sealed, NotFoundError for an
   * unknown mount, InvalidRequestError when the mount is of another type.
   */
  resolve<E extends Engine>(mount: string, type: EngineType): E;
  /** context builds the OpContext of one call (the caller comes from the access check) */
  context(caller: Caller, mount: string): OpContext;
  /** audit writes an audit record for work that is not an RPC (ACME requests, public downloads) */
  audit(record: {
    readonly caller?: Caller;
    readonly action: string;
    readonly mount: string;
    readonly resource?: string;
    readonly result: 'allow' | 'deny' | 'error';
    readonly reason?: string;
    readonly detail?: AuditDetail;
  }): void;
  readonly now: () => Date;
  readonly logger: Logger;
}

/**
 * EngineModule is everything an engine type contributes to the server: its provider, its RPC
 * services (also served as REST through google.api.http transcoding) with their access rows,
 * and optionally raw HTTP routes (PEM downloads, the KRL, ACME) with theirs.
 */
export interface EngineModule {
  readonly provider: EngineProvider;
  services(host: EngineHost): ServiceRegistration[];
  /** one row per RPC of services(); REST rows are derived by withTranscodedAccess */
  readonly access: AccessTable;
  /** raw routes; every route registered here must have a row in httpAccess */
  registerHttp?(app: FastifyInstance, host: EngineHost): void | Promise<void>;
  readonly httpAccess?: AccessTable;
}
