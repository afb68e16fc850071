import type { SqliteDatabase } from '@metacircular/mcdsl';

/** AuditRecord is one stored audit event, with the usernames of actor and target joined in. */
export interface AuditRecord {
  readonly id: number;
  readonly eventTime: number;
  readonly eventType: string;
  readonly actorId: string | null;
  readonly actorUsername: string | null;
  readonly targetId: string | null;
  readonly targetUsername: string | null;
  readonly ipAddress: string;
  readonly details: Record<string, unknown>;
}

/** NewAuditRecord is what AuditStore.append writes. */
export interface NewAuditRecord {
  readonly eventTime: number;
  readonly eventType: string;
  readonly actorId: string | null;
  readonly targetId: string | null;
  readonly ipAddress: string;
  readonly details: Record<string, unknown>;
}

/** AuditQuery filters a listing; `beforeId` is the keyset cursor (newest first). */
export interface AuditQuery {
  readonly eventType?: string;
  readonly actorId?: string;
  readonly targetId?: string;
  readonly since?: number;
  readonly until?: number;
  readonly beforeId?: number;
  readonly limit: number;
}

interface AuditRow {
  id: number;
  event_time: number;
  event_type: string;
  actor_id: string | null;
  actor_username: string | null;
  target_id: string | null;
  target_username: string | null;
  ip_address: string;
  details: string;
}

/** AuditStore is the repository of `audit_events`: append-only, listed newest first. */
export class AuditStore {
  readonly #db: SqliteDatabase;
  readonly #append;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#append = db.prepare(
      'INSERT INTO audit_events (event_time, event_type, actor_id, target_id, ip_address, details) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** append writes one event and returns its id. */
  append(event: NewAuditRecord): number {
    const result = this.#append.run(
      event.eventTime,
      event.eventType,
      event.actorId,
      event.targetId,
      event.ipAddress,
      JSON.stringify(event.details),
    );
    return Number(result.lastInsertRowid);
  }

  /** list returns up to `limit` events matching every given filter, newest (highest id) first. */
  list(query: AuditQuery): AuditRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const filter = (sql: string, value: unknown) => {
      where.push(sql);
      args.push(value);
    };
    if (query.eventType) filter('e.event_type = ?', query.eventType);
    if (query.actorId) filter('e.actor_id = ?', query.actorId);
    if (query.targetId) filter('e.target_id = ?', query.targetId);
    if (query.since !== undefined) filter('e.event_time >= ?', query.since);
    if (query.until !== undefined) filter('e.event_time < ?', query.until);
    if (query.beforeId !== undefined) filter('e.id < ?', query.beforeId);
    const sql = `SELECT e.id, e.event_time, e.event_type, e.actor_id, a.username AS actor_username, e.target_id,
        t.username AS target_username, e.ip_address, e.details
      FROM audit_events e
      LEFT JOIN accounts a ON a.uuid = e.actor_id
      LEFT JOIN accounts t ON t.uuid = e.target_id
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY e.id DESC LIMIT ?`;
    const rows = this.#db.prepare<unknown[], AuditRow>(sql).all(...args, query.limit);
    return rows.map((row) => ({
      id: row.id,
      eventTime: row.event_time,
      eventType: row.event_type,
      actorId: row.actor_id,
      actorUsername: row.actor_username,
      targetId: row.target_id,
      targetUsername: row.target_username,
      ipAddress: row.ip_address,
      details: JSON.parse(row.details) as Record<string, unknown>,
    }));
  }
}
