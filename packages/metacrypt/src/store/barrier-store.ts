import type { SqliteDatabase } from '@metacircular/mcdsl';

/**
 * BarrierStore is the physical layer under the barrier: a path -> bytes table that only ever
 * sees ciphertext. It knows nothing of keys; the barrier seals values before they get here.
 */
export class BarrierStore {
  readonly db: SqliteDatabase;
  readonly #get;
  readonly #upsert;
  readonly #delete;
  readonly #list;
  readonly #deletePrefix;

  constructor(db: SqliteDatabase) {
    this.db = db;
    this.#get = db.prepare<[string], { value: Buffer }>('SELECT value FROM barrier_entries WHERE path = ?');
    this.#upsert = db.prepare<[string, Buffer, string, string]>(
      `INSERT INTO barrier_entries (path, value, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.#delete = db.prepare<[string]>('DELETE FROM barrier_entries WHERE path = ?');
    // The range start lets SQLite use the primary key; substr() makes the prefix match exact
    // (LIKE would treat '_' and '%' in paths as wildcards).
    this.#list = db
      .prepare<{ p: string }, string>(
        'SELECT path FROM barrier_entries WHERE path >= @p AND substr(path, 1, length(@p)) = @p ORDER BY path',
      )
      .pluck();
    this.#deletePrefix = db.prepare<{ p: string }>(
      'DELETE FROM barrier_entries WHERE path >= @p AND substr(path, 1, length(@p)) = @p',
    );
  }

  /** get returns the stored blob at path, or undefined. */
  get(path: string): Buffer | undefined {
    return this.#get.get(path)?.value;
  }

  /** put stores blob at path, keeping the first created_at. */
  put(path: string, blob: Buffer, now: Date): void {
    const ts = now.toISOString();
    this.#upsert.run(path, blob, ts, ts);
  }

  /** delete removes path; a missing path is not an error. */
  delete(path: string): void {
    this.#delete.run(path);
  }

  /** list returns every stored path starting with prefix, sorted. */
  list(prefix: string): string[] {
    return this.#list.all({ p: prefix });
  }

  /** deletePrefix removes every path starting with prefix (a mount's data on delete) and returns the count. */
  deletePrefix(prefix: string): number {
    return this.#deletePrefix.run({ p: prefix }).changes;
  }

  /** transaction runs fn in one SQLite transaction; nested calls become savepoints of the outer one. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
