import type { Clock } from '../clock.js';
import type { AuditRecord, AuditStore } from '../store/index.js';
import type { AuditEventType } from './audit-events.js';

/** AuditEntry is one event as code records it. */
export interface AuditEntry {
  readonly type: AuditEventType;
  /** UUID of the account that acted; absent for bootstrap events and unknown users */
  readonly actorId?: string | undefined;
  /** UUID of the account acted upon */
  readonly targetId?: string | undefined;
  /** the client address; '' when unknown */
  readonly ip?: string | undefined;
  /** facts about the event (jti, reason, rule id, roles...), never a secret */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** AuditFilter selects events for listing; `beforeId` is the keyset cursor. */
export interface AuditFilter {
  readonly eventType?: string;
  readonly actorId?: string;
  readonly targetId?: string;
  readonly since?: number;
  readonly until?: number;
  readonly beforeId?: number;
  readonly limit: number;
}

// Keys whose values are secrets by name. Code must never pass them; if it does anyway, the value
// is replaced before it reaches the database (a safety net, as the logger's redaction is).
const secretKeys = new Set([
  'password',
  'current_password',
  'new_password',
  'passphrase',
  'secret',
  'totp_secret',
  'totp_code',
  'code',
  'token',
  'private_key',
  'key',
]);

function scrub(value: unknown, depth: number): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, secretKeys.has(k.toLowerCase()) ? '[redacted]' : scrub(v, depth + 1)]),
  );
}

/**
 * AuditLog records security events with the injected clock's time and lists them newest first.
 * Recording is synchronous and in the same database as the change it describes.
 */
export class AuditLog {
  readonly #store: AuditStore;
  readonly #now: Clock;

  constructor(store: AuditStore, now: Clock) {
    this.#store = store;
    this.#now = now;
  }

  /** record appends one event and returns its id. */
  record(entry: AuditEntry): number {
    return this.#store.append({
      eventTime: this.#now(),
      eventType: entry.type,
      actorId: entry.actorId || null,
      targetId: entry.targetId || null,
      ipAddress: entry.ip ?? '',
      details: scrub(entry.details ?? {}, 0) as Record<string, unknown>,
    });
  }

  /** list returns events matching every filter, newest first. */
  list(filter: AuditFilter): AuditRecord[] {
    return this.#store.list(filter);
  }
}
