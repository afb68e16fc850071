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

/**
 * AuditLog is the audit table: a plain SQLite table outside the barrier, so refusals while
 * sealed and failed unseals are recorded too. It is append-only from the API's side. Values
 * are capped in length; what goes in is chosen by the writers (audited-services.ts and the
 * engines' ctx.note), which never pass request payloads.
 */
export class AuditLog {
  readonly #db: SqliteDatabase;
  readonly #insert;
  readonly #now: () => Date;
  readonly enabled: boolean;

  constructor(db: SqliteDatabase, now: () => Date, enabled = true) {
    this.#db = db;
    this.#now = now;
    this.enabled = enabled;
    this.#insert = db.prepare(
      `INSERT INTO audit_events (time, caller, account_type, is_admin, action, mount, resource, result, reason, request_id, detail)
       VALUES (@time, @caller, @accountType, @isAdmin, @action, @mount, @resource, @result, @reason, @requestId, @detail)`,
    );
  }

  /** record appends one event (a no-op when `[audit] enabled = false`). */
  record(r: AuditRecord): void {
    if (!this.enabled) return;
    this.#insert.run({
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
      detail: JSON.stringify(r.detail ?? {}).slice(0, 8 * maxText),
    });
  }

  /** list returns events newest first. */
  list(f: AuditFilter): AuditEvent[] {
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
        detail: JSON.parse(row.detail) as Record<string, unknown>,
      }));
  }
}

function cap(s: string | undefined): string {
  return (s ?? '').slice(0, maxText);
}
