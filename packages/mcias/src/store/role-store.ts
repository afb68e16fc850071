import type { SqliteDatabase } from '@metacircular/mcdsl';

/** RoleStore is the repository of `account_roles`: the role set of each account. */
export class RoleStore {
  readonly #db: SqliteDatabase;
  readonly #ofAccount;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#ofAccount = db.prepare<[number], string>('SELECT role FROM account_roles WHERE account_id = ? ORDER BY role').pluck();
  }

  /** of returns an account's roles, sorted. */
  of(accountId: number): string[] {
    return this.#ofAccount.all(accountId);
  }

  /** replace sets the whole role set in one transaction. */
  replace(accountId: number, roles: readonly string[]): void {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM account_roles WHERE account_id = ?').run(accountId);
      const insert = this.#db.prepare('INSERT INTO account_roles (account_id, role) VALUES (?, ?)');
      for (const role of new Set(roles)) insert.run(accountId, role);
    })();
  }

  /** add grants one role; it reports false when the account already had it. */
  add(accountId: number, role: string): boolean {
    return (
      this.#db.prepare('INSERT OR IGNORE INTO account_roles (account_id, role) VALUES (?, ?)').run(accountId, role).changes === 1
    );
  }

  /** remove revokes one role; it reports false when the account did not have it. */
  remove(accountId: number, role: string): boolean {
    return this.#db.prepare('DELETE FROM account_roles WHERE account_id = ? AND role = ?').run(accountId, role).changes === 1;
  }

  /** activeHolders lists the ids of active accounts holding `role`. */
  activeHolders(role: string): number[] {
    return this.#db
      .prepare<[string], number>(
        "SELECT r.account_id FROM account_roles r JOIN accounts a ON a.id = r.account_id WHERE r.role = ? AND a.status = 'active'",
      )
      .pluck()
      .all(role);
  }
}
