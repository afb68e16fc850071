import type { SqliteDatabase } from '@metacircular/mcdsl';
import type { AuditDetail } from '../engine/index.js';

/** AuditResult is how an operation ended: allowed and done, refused, or failed. */
export type AuditResult = 'allow' | 'deny' | 'error';

/** AuditRecord is one audit event as written (spec §16); never a payload, key or token. */
export interface AuditRecord {
  readonly caller?: string;
  readonly accountType?: string;
  readonly isAdmin?: boolean;
  /** the RPC procedure, the REST route or an engine action such as "acme.new-order" */
  readonly action: string;
  readonly mount?: string;
  readonly resource?: string;
  readonly result: AuditResult;
  readonly reason?: string;
  readonly requestId?: string;
  readonly detail?: AuditDetail;
}

/** AuditEvent is a stored record. */
export interface AuditEvent extends Required<Omit<AuditRecord, 'detail'>> {
  readonly id: number;
  readonly time: Date;
  readonly detail: Record<string, unknown>;
}

/** AuditFilter narrows list(); every field is optional. */
export interface AuditFilter {
  readonly caller?: string;
  readonly mount?: string;
  readonly action?: string;
  readonly result?: AuditResult;
  readonly since?: Date;
  readonly until?: Date;
  /** only events with a smaller id (keyset paging) */
  readonly beforeId?: number;
  readonly limit: number;
}

interface Row {
  id: number;
  time: string;
  caller: string;
  account_type: string;
  is_admin: number;
  action: string;
  mount: string;
  resource: string;
  result: AuditResult;
  reason: string;
  request_id: string;
  detail: string;
}

const maxText = 512;

/** InsertRow is one audit_events row as bound to the insert statement. */
interface InsertRow {
  readonly time: string;
  readonly caller: string;
  readonly accountType: string;
  readonly isAdmin: number;
  readonly action: string;
  readonly mount: string;
  readonly resource: string;
  readonly result: string;
  readonly reason: string;
  readonly requestId: string;
  readonly detail: string;
}
/** maxDetail bounds the stored detail JSON; a longer detail is shortened, never cut mid-JSON. */
export const maxDetail = 8 * maxText;
const maxListItems = 20;

/**
 * AuditLog is the audit table: a plain SQLite table outside the barrier, so refusals while
 * sealed and failed unseals are recorded too. It is append-only from the API's side. Values
 * are capped in length; what goes in is chosen by the writers (audited-services.ts and the
 * engines' ctx.note), which never pass request payloads.
 */
export class AuditLog {
  readonly #db: SqliteDatabase;
  readonly #insertBatch: (rows: readonly InsertRow[]) => void;
  readonly #now: () => Date;
  readonly #pending: InsertRow[] = [];
  #flushScheduled = false;
  readonly enabled: boolean;

  constructor(db: SqliteDatabase, now: () => Date, enabled = true) {
    this.#db = db;
    this.#now = now;
    this.enabled = enabled;
    const insert = db.prepare<[InsertRow]>(
      `INSERT INTO audit_events (time, caller, account_type, is_admin, action, mount, resource, result, reason, request_id, detail)
       VALUES (@time, @caller, @accountType, @isAdmin, @action, @mount, @resource, @result, @reason, @requestId, @detail)`,
    );
    this.#insertBatch = db.transaction((rows: readonly InsertRow[]) => {
      for (const row of rows) insert.run(row);
    });
  }

  /**
   * record appends one event (a no-op when `[audit] enabled = false`). Events are written in
   * one transaction per event-loop turn (group commit): one SQLite commit per request cost a
   * sixth of the CPU of a transit encrypt. The window is one turn: list() and close flush
   * first, and a crash can lose at most the events of the turn it happened in.
   */
  record(r: AuditRecord): void {
    if (!this.enabled) return;
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.flush());
    }
    this.#pending.push({
      time: this.#now().toISOString(),
      caller: cap(r.caller),
      accountType: cap(r.accountType),
      isAdmin: r.isAdmin ? 1 : 0,
      action: cap(r.action),
      mount: cap(r.mount),
      resource: cap(r.resource),
      result: r.result,
      reason: cap(r.reason),
      requestId: cap(r.requestId),
      detail: detailJson(r.detail ?? {}),
    });
  }

  /** flush writes the pending events now (list and shutdown call it). */
  flush(): void {
    this.#flushScheduled = false;
    if (this.#pending.length === 0) return;
    const rows = this.#pending.splice(0);
    // after shutdown closed the database there is nowhere left to write
    if (this.#db.open) this.#insertBatch(rows);
  }

  /** list returns events newest first. */
  list(f: AuditFilter): AuditEvent[] {
    this.flush();
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: f.limit };
    const add = (clause: string, key: string, value: unknown): void => {
      where.push(clause);
      args[key] = value;
    };
    if (f.caller) add('caller = @caller', 'caller', f.caller);
    if (f.mount) add('mount = @mount', 'mount', f.mount);
    if (f.action) add('action = @action', 'action', f.action);
    if (f.result) add('result = @result', 'result', f.result);
    if (f.since) add('time >= @since', 'since', f.since.toISOString());
    if (f.until) add('time < @until', 'until', f.until.toISOString());
    if (f.beforeId !== undefined) add('id < @beforeId', 'beforeId', f.beforeId);
    const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
    return this.#db
      .prepare<Record<string, unknown>, Row>(sql)
      .all(args)
      .map((row) => ({
        id: row.id,
        time: new Date(row.time),
        caller: row.caller,
        accountType: row.account_type,
        isAdmin: row.is_admin === 1,
        action: row.action,
        mount: row.mount,
        resource: row.resource,
        result: row.result,
        reason: row.reason,
        requestId: row.request_id,
        detail: parseDetail(row.detail),
      }));
  }
}

/**
 * detailJson serialises an audit detail within maxDetail characters and always as valid JSON
 * (a cut string would make every listing that reaches the row fail): long strings and lists are
 * shortened first (`truncated: true` marks it), and if that is still too long only the keys stay.
 */
export function detailJson(detail: AuditDetail): string {
  const full = JSON.stringify(detail);
  if (full.length <= maxDetail) return full;
  const short: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(detail)) {
    if (typeof value === 'string') short[key] = value.slice(0, 64);
    else if (Array.isArray(value)) {
      const items = (value as readonly string[]).slice(0, maxListItems).map((v) => String(v).slice(0, 64));
      short[key] = value.length > maxListItems ? [...items, `... ${value.length - maxListItems} more`] : items;
    } else short[key] = value;
  }
  short.truncated = true;
  const shortened = JSON.stringify(short);
  if (shortened.length <= maxDetail) return shortened;
  return JSON.stringify({
    truncated: true,
    keys: Object.keys(detail)
      .slice(0, maxListItems)
      .map((k) => k.slice(0, 64)),
  });
}

// Rows written before detailJson existed may hold cut JSON; one bad row must not break the listing.
function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return { truncated: true };
  }
}

function cap(s: string | undefined): string {
  return (s ?? '').slice(0, maxText);
}
