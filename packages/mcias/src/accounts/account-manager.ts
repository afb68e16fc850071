import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidRequestError, NotFoundError, PreconditionError } from '@metacircular/mcdsl';
import { AuditEvents, type Actor, type AuditLog } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { AccountType } from '../policy/index.js';
import type { AccountRecord, AccountStatus, Stores } from '../store/index.js';
import type { TokenAuthority } from '../tokens/index.js';
import type { PasswordHasher } from './password-hasher.js';
import { validateNewPassword } from './password-rules.js';
import { adminRole, validateRoles } from './roles.js';
import { validateTags } from './tags.js';
import { validateUsername } from './username.js';

/** AccountView is an account with its roles and tags, as the API shows it. */
export interface AccountView {
  readonly record: AccountRecord;
  readonly roles: readonly string[];
  readonly tags: readonly string[];
}

/** CreateAccountInput is a new account as the API receives it (validated by create). */
export interface CreateAccountInput {
  readonly username: string;
  readonly accountType: string;
  /** required for human accounts, refused for system accounts */
  readonly password: string;
  readonly roles: readonly string[];
  readonly tags: readonly string[];
}

/**
 * AccountManager is the account lifecycle: create, look up, list, activate/deactivate, soft
 * delete, tags. Every change is audited. Deactivating or deleting an account revokes its live
 * tokens (validation refuses them anyway while the account is not active; revoking makes that
 * permanent if it is reactivated), and the last active admin cannot be removed.
 */
export class AccountManager {
  readonly #stores: Stores;
  readonly #hasher: PasswordHasher;
  readonly #tokens: TokenAuthority;
  readonly #audit: AuditLog;
  readonly #now: Clock;

  constructor(opts: { stores: Stores; hasher: PasswordHasher; tokens: TokenAuthority; audit: AuditLog; now: Clock }) {
    this.#stores = opts.stores;
    this.#hasher = opts.hasher;
    this.#tokens = opts.tokens;
    this.#audit = opts.audit;
    this.#now = opts.now;
  }

  /** view adds roles and tags to a record. */
  view(record: AccountRecord): AccountView {
    return { record, roles: this.#stores.roles.of(record.id), tags: this.#stores.tags.of(record.id) };
  }

  /** find returns the account with this UUID, deleted ones included; NotFoundError otherwise. */
  find(id: string): AccountRecord {
    const record = id ? this.#stores.accounts.byUuid(id) : undefined;
    if (!record) throw new NotFoundError(`account ${JSON.stringify(id.slice(0, 64))} not found`);
    return record;
  }

  /** findLive is find for changes: a deleted account is a PreconditionError. */
  findLive(id: string): AccountRecord {
    const record = this.find(id);
    if (record.status === 'deleted')
      throw new PreconditionError(`account ${record.username} is deleted`, { code: 'ERR_DELETED' });
    return record;
  }

  /** list returns every account (soft-deleted ones when asked), ordered by username. */
  list(includeDeleted: boolean): AccountView[] {
    return this.#stores.accounts.list({ includeDeleted }).map((r) => this.view(r));
  }

  /** activeAdmins lists the ids of active accounts holding admin (init refuses when there is one). */
  activeAdmins(): number[] {
    return this.#stores.roles.activeHolders(adminRole);
  }

  /** create validates and stores a new account (the password is hashed before the write). */
  async create(input: CreateAccountInput, actor: Actor): Promise<AccountView> {
    const username = validateUsername(input.username);
    if (input.accountType !== 'human' && input.accountType !== 'system') {
      throw new InvalidRequestError('account_type must be "human" or "system"', { code: 'ERR_BAD_ACCOUNT_TYPE' });
    }
    const accountType: AccountType = input.accountType;
    if (accountType === 'system' && input.password !== '') {
      throw new InvalidRequestError('system accounts have no password; leave password empty', { code: 'ERR_BAD_PASSWORD' });
    }
    if (accountType === 'human') validateNewPassword(input.password);
    const roles = validateRoles(input.roles);
    const tags = validateTags(input.tags);
    if (this.#stores.accounts.byUsername(username)) throw this.#taken(username);
    const passwordHash = accountType === 'human' ? await this.#hasher.hash(input.password) : null;
    const record = this.#stores.db.transaction(() => {
      // Checked again inside the transaction: another create may have won while we hashed.
      if (this.#stores.accounts.byUsername(username)) throw this.#taken(username);
      const created = this.#stores.accounts.insert({ uuid: randomUUID(), username, accountType, passwordHash, now: this.#now() });
      this.#stores.roles.replace(created.id, roles);
      this.#stores.tags.replace(created.id, tags);
      return created;
    })();
    this.#audit.record({
      type: AuditEvents.AccountCreated,
      actorId: actor.id,
      targetId: record.uuid,
      ip: actor.ip,
      details: { username, account_type: accountType, roles, tags },
    });
    return this.view(record);
  }

  /** setStatus activates or deactivates an account (deletion is delete()). */
  setStatus(id: string, status: string, actor: Actor): AccountView {
    if (status !== 'active' && status !== 'inactive') {
      throw new InvalidRequestError('status must be "active" or "inactive" (use DELETE to delete)', { code: 'ERR_BAD_STATUS' });
    }
    const record = this.findLive(id);
    if (record.status !== status) {
      if (status === 'inactive') this.#assertNotLastAdmin(record, 'deactivate');
      this.#changeStatus(record, status, actor);
    }
    return this.view(this.find(id));
  }

  /** delete soft-deletes an account: the row stays (audit, usernames), tokens are revoked. */
  delete(id: string, actor: Actor): void {
    const record = this.findLive(id);
    this.#assertNotLastAdmin(record, 'delete');
    this.#changeStatus(record, 'deleted', actor);
  }

  /** getTags returns an account's tags. */
  getTags(id: string): readonly string[] {
    return this.#stores.tags.of(this.find(id).id);
  }

  /** setTags replaces an account's tags atomically. */
  setTags(id: string, tags: readonly string[], actor: Actor): readonly string[] {
    const record = this.findLive(id);
    const next = validateTags(tags);
    const before = this.#stores.tags.of(record.id);
    this.#stores.tags.replace(record.id, next);
    this.#audit.record({
      type: AuditEvents.TagsChanged,
      actorId: actor.id,
      targetId: record.uuid,
      ip: actor.ip,
      details: { before, after: next },
    });
    return next;
  }

  /** assertNotLastAdmin refuses a change that would leave no active admin. */
  #assertNotLastAdmin(record: AccountRecord, what: string): void {
    const admins = this.activeAdmins();
    if (admins.length === 1 && admins[0] === record.id) {
      throw new PreconditionError(`cannot ${what} ${record.username}: it is the last active admin; make another admin first`, {
        code: 'ERR_LAST_ADMIN',
      });
    }
  }

  #changeStatus(record: AccountRecord, status: AccountStatus, actor: Actor): void {
    const revoked = this.#stores.db.transaction(() => {
      this.#stores.accounts.setStatus(record.id, status, this.#now());
      return status === 'active' ? [] : this.#tokens.revokeAllOf(record.id, `account_${status}`);
    })();
    this.#audit.record({
      type: status === 'deleted' ? AuditEvents.AccountDeleted : AuditEvents.AccountUpdated,
      actorId: actor.id,
      targetId: record.uuid,
      ip: actor.ip,
      details: { status_before: record.status, status, tokens_revoked: revoked.length },
    });
  }

  #taken(username: string): ConflictError {
    return new ConflictError(`username ${username} is taken (usernames are never reused)`, { code: 'ERR_USERNAME_TAKEN' });
  }
}
