import { ForbiddenError, PreconditionError } from '@metacircular/mcdsl';
import { AuditEvents, type Actor, type AuditLog } from '../audit/index.js';
import type { AccountRecord, Stores } from '../store/index.js';
import type { AccountManager } from './account-manager.js';
import { adminRole, validateRole, validateRoles } from './roles.js';

/**
 * RoleManager changes an account's role set (replace, grant one, revoke one). Roles reach a
 * token only when it is next issued or renewed; MCIAS's own checks and validation answers drop
 * roles revoked since issue at once. Two guards hold whatever the policy says: only a caller who
 * is admin can give or take the admin role (an operator rule delegating roles:write cannot be
 * used to become admin), and the last active admin keeps it.
 */
export class RoleManager {
  readonly #stores: Stores;
  readonly #accounts: AccountManager;
  readonly #audit: AuditLog;

  constructor(opts: { stores: Stores; accounts: AccountManager; audit: AuditLog }) {
    this.#stores = opts.stores;
    this.#accounts = opts.accounts;
    this.#audit = opts.audit;
  }

  /** get returns an account's roles. */
  get(id: string): readonly string[] {
    return this.#stores.roles.of(this.#accounts.find(id).id);
  }

  /** set replaces the whole role set. */
  set(id: string, roles: readonly string[], actor: Actor & { isAdmin: boolean }): readonly string[] {
    const record = this.#accounts.findLive(id);
    const next = validateRoles(roles);
    const before = this.#stores.roles.of(record.id);
    if (before.includes(adminRole) !== next.includes(adminRole)) this.#guardAdminChange(record, actor, next.includes(adminRole));
    this.#stores.roles.replace(record.id, next);
    this.#audit.record({
      type: AuditEvents.RolesChanged,
      actorId: actor.id,
      targetId: record.uuid,
      ip: actor.ip,
      details: { before, after: next },
    });
    return next;
  }

  /** grant adds one role; granting a role already held changes nothing and records nothing. */
  grant(id: string, role: string, actor: Actor & { isAdmin: boolean }): void {
    const record = this.#accounts.findLive(id);
    validateRole(role);
    if (this.#stores.roles.of(record.id).includes(role)) return;
    if (role === adminRole) this.#guardAdminChange(record, actor, true);
    this.#stores.roles.add(record.id, role);
    this.#audit.record({
      type: AuditEvents.RoleGranted,
      actorId: actor.id,
      targetId: record.uuid,
      ip: actor.ip,
      details: { role },
    });
  }

  /** revoke removes one role; revoking a role not held changes nothing and records nothing. */
  revoke(id: string, role: string, actor: Actor & { isAdmin: boolean }): void {
    const record = this.#accounts.findLive(id);
    if (!this.#stores.roles.of(record.id).includes(role)) return;
    if (role === adminRole) this.#guardAdminChange(record, actor, false);
    this.#stores.roles.remove(record.id, role);
    this.#audit.record({
      type: AuditEvents.RoleRevoked,
      actorId: actor.id,
      targetId: record.uuid,
      ip: actor.ip,
      details: { role },
    });
  }

  #guardAdminChange(record: AccountRecord, actor: { isAdmin: boolean }, granting: boolean): void {
    if (!actor.isAdmin) {
      throw new ForbiddenError('only an admin can grant or revoke the admin role', { code: 'ERR_ADMIN_ROLE' });
    }
    if (!granting) {
      const admins = this.#accounts.activeAdmins();
      if (admins.length === 1 && admins[0] === record.id) {
        throw new PreconditionError(
          `${record.username} is the last active admin and keeps the admin role; make another admin first`,
          {
            code: 'ERR_LAST_ADMIN',
          },
        );
      }
    }
  }
}
