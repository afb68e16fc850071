import type { SqliteDatabase } from '@metacircular/mcdsl';

/** FailedLogins is one account's lockout counter. */
export interface FailedLogins {
  readonly failures: number;
  readonly windowStart: number;
  readonly lockedUntil: number | null;
}

/** FailedLoginStore is the repository of `failed_logins`, the lockout counters. */
export class FailedLoginStore {
  readonly #get;
  readonly #put;
  readonly #clear;

  constructor(db: SqliteDatabase) {
    this.#get = db.prepare<[number], { failures: number; window_start: number; locked_until: number | null }>(
      'SELECT failures, window_start, locked_until FROM failed_logins WHERE account_id = ?',
    );
    this.#put = db.prepare(
      `INSERT INTO failed_logins (account_id, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
       ON CONFLICT (account_id) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
       locked_until = excluded.locked_until`,
    );
    this.#clear = db.prepare('DELETE FROM failed_logins WHERE account_id = ?');
  }

  get(accountId: number): FailedLogins | undefined {
    const row = this.#get.get(accountId);
    return row ? { failures: row.failures, windowStart: row.window_start, lockedUntil: row.locked_until } : undefined;
  }

  put(accountId: number, value: FailedLogins): void {
    this.#put.run(accountId, value.failures, value.windowStart, value.lockedUntil);
  }

  clear(accountId: number): void {
    this.#clear.run(accountId);
  }
}
