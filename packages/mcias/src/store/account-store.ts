import type { SqliteDatabase } from '@metacircular/mcdsl';
import type { AccountType } from '../policy/index.js';

/** AccountStatus is the lifecycle state of an account; 'deleted' is a soft delete. */
export type AccountStatus = 'active' | 'inactive' | 'deleted';

/** TotpState: 'pending' between enrolment and the first confirmed code, then 'enabled'. */
export type TotpState = 'none' | 'pending' | 'enabled';

/** AccountRecord is one row of `accounts`, secrets still sealed. */
export interface AccountRecord {
  readonly id: number;
  readonly uuid: string;
  readonly username: string;
  readonly accountType: AccountType;
  readonly status: AccountStatus;
  readonly passwordHash: string | null;
  readonly totpSecretEnc: Buffer | null;
  readonly totpState: TotpState;
  readonly totpLastCounter: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly deletedAt: number | null;
}

interface AccountRow {
  id: number;
  uuid: string;
  username: string;
  account_type: AccountType;
  status: AccountStatus;
  password_hash: string | null;
  totp_secret_enc: Buffer | null;
  totp_state: TotpState;
  totp_last_counter: number | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

const columns =
  'id, uuid, username, account_type, status, password_hash, totp_secret_enc, totp_state, totp_last_counter, created_at, updated_at, deleted_at';

function toRecord(row: AccountRow | undefined): AccountRecord | undefined {
  if (!row) return undefined;
  return {
    id: row.id,
    uuid: row.uuid,
    username: row.username,
    accountType: row.account_type,
    status: row.status,
    passwordHash: row.password_hash,
    totpSecretEnc: row.totp_secret_enc,
    totpState: row.totp_state,
    totpLastCounter: row.totp_last_counter,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

/** NewAccount is what AccountStore.insert needs. */
export interface NewAccount {
  readonly uuid: string;
  readonly username: string;
  readonly accountType: AccountType;
  readonly passwordHash: string | null;
  readonly now: number;
}

/** AccountStore is the repository of the `accounts` table. */
export class AccountStore {
  readonly #db: SqliteDatabase;
  readonly #byId;
  readonly #byUuid;
  readonly #byUsername;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#byId = db.prepare<[number], AccountRow>(`SELECT ${columns} FROM accounts WHERE id = ?`);
    this.#byUuid = db.prepare<[string], AccountRow>(`SELECT ${columns} FROM accounts WHERE uuid = ?`);
    this.#byUsername = db.prepare<[string], AccountRow>(`SELECT ${columns} FROM accounts WHERE username = ?`);
  }

  /** insert adds an active account and returns it. */
  insert(account: NewAccount): AccountRecord {
    const result = this.#db
      .prepare(
        `INSERT INTO accounts (uuid, username, account_type, status, password_hash, created_at, updated_at)
         VALUES (?, ?, ?, 'active', ?, ?, ?)`,
      )
      .run(account.uuid, account.username, account.accountType, account.passwordHash, account.now, account.now);
    return this.byId(Number(result.lastInsertRowid))!;
  }

  byId(id: number): AccountRecord | undefined {
    return toRecord(this.#byId.get(id));
  }

  byUuid(uuid: string): AccountRecord | undefined {
    return toRecord(this.#byUuid.get(uuid));
  }

  byUsername(username: string): AccountRecord | undefined {
    return toRecord(this.#byUsername.get(username));
  }

  /** list returns accounts ordered by username, soft-deleted ones only when asked. */
  list(opts: { includeDeleted: boolean }): AccountRecord[] {
    const where = opts.includeDeleted ? '' : "WHERE status <> 'deleted'";
    const rows = this.#db.prepare<[], AccountRow>(`SELECT ${columns} FROM accounts ${where} ORDER BY username`).all();
    return rows.map((row) => toRecord(row)!);
  }

  /** setStatus changes the status; 'deleted' also stamps deleted_at. */
  setStatus(id: number, status: AccountStatus, now: number): void {
    this.#db
      .prepare('UPDATE accounts SET status = ?, updated_at = ?, deleted_at = ? WHERE id = ?')
      .run(status, now, status === 'deleted' ? now : null, id);
  }

  setPasswordHash(id: number, hash: string, now: number): void {
    this.#db.prepare('UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?').run(hash, now, id);
  }

  /** setTotp replaces the TOTP secret box and state (null box and 'none' remove it). */
  setTotp(id: number, secretEnc: Buffer | null, state: TotpState, lastCounter: number | null, now: number): void {
    this.#db
      .prepare('UPDATE accounts SET totp_secret_enc = ?, totp_state = ?, totp_last_counter = ?, updated_at = ? WHERE id = ?')
      .run(secretEnc, state, lastCounter, now, id);
  }

  /**
   * useTotpCounter records `counter` as the last accepted TOTP step and reports whether it was
   * newer than the last one. The check and the write are one statement, so two concurrent logins
   * with the same code cannot both succeed.
   */
  useTotpCounter(id: number, counter: number): boolean {
    const result = this.#db
      .prepare('UPDATE accounts SET totp_last_counter = ? WHERE id = ? AND (totp_last_counter IS NULL OR totp_last_counter < ?)')
      .run(counter, id, counter);
    return result.changes === 1;
  }

  /** count returns how many accounts exist (all statuses). */
  count(): number {
    return this.#db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM accounts').get()?.n ?? 0;
  }
}
