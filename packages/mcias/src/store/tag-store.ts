import type { SqliteDatabase } from '@metacircular/mcdsl';

/** TagStore is the repository of `account_tags`: the tag set of each account. */
export class TagStore {
  readonly #db: SqliteDatabase;
  readonly #ofAccount;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#ofAccount = db.prepare<[number], string>('SELECT tag FROM account_tags WHERE account_id = ? ORDER BY tag').pluck();
  }

  /** of returns an account's tags, sorted. */
  of(accountId: number): string[] {
    return this.#ofAccount.all(accountId);
  }

  /** replace sets the whole tag set atomically (spec: tags are replaced, never patched). */
  replace(accountId: number, tags: readonly string[]): void {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM account_tags WHERE account_id = ?').run(accountId);
      const insert = this.#db.prepare('INSERT INTO account_tags (account_id, tag) VALUES (?, ?)');
      for (const tag of new Set(tags)) insert.run(accountId, tag);
    })();
  }
}
