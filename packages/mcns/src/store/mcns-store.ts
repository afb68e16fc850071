import { ConflictError, InvalidRequestError, migrate, NotFoundError, type SqliteDatabase } from '@metacircular/mcdsl';
import { normalizeDomainName, normalizeRecordName } from './dns-names.js';
import { migrations } from './migrations.js';
import { normalizeRecordValue, parseRecordType, parseTtl } from './record-values.js';
import { firstSerial, nextSerial } from './soa-serial.js';
import type { DnsRecord, RecordFilter, RecordInput, Seed, Zone, ZoneInput } from './types.js';

interface ZoneRow {
  id: number;
  name: string;
  primary_ns: string;
  admin_email: string;
  refresh: number;
  retry: number;
  expire: number;
  minimum_ttl: number;
  serial: number;
  created_at: string;
  updated_at: string;
}

interface RecordRow {
  id: number;
  zone_id: number;
  zone: string;
  name: string;
  type: string;
  value: string;
  ttl: number;
  created_at: string;
  updated_at: string;
}

const recordColumns = 'r.id, r.zone_id, z.name AS zone, r.name, r.type, r.value, r.ttl, r.created_at, r.updated_at';

/** StoreOptions configures openMcnsStore. */
export interface StoreOptions {
  readonly now?: () => Date;
}

/**
 * McnsStore is the zones and records in SQLite. Every write runs in one transaction that
 * validates, enforces the CNAME rules and bumps the zone's SOA serial (spec §2.5, §2.6); the DNS
 * read path is a handful of prepared statements, and changeStamp() tells the DNS server's answer
 * cache exactly when anything changed, whoever wrote it.
 */
export class McnsStore {
  readonly #db: SqliteDatabase;
  readonly #now: () => Date;
  readonly #listeners = new Set<(zone: Zone) => void>();
  #localWrites = 0;
  readonly #q;

  constructor(db: SqliteDatabase, opts: StoreOptions = {}) {
    this.#db = db;
    this.#now = opts.now ?? (() => new Date());
    migrate(db, migrations);
    this.#q = {
      zoneByName: db.prepare<[string], ZoneRow>('SELECT * FROM zones WHERE name = ?'),
      zoneById: db.prepare<[number], ZoneRow>('SELECT * FROM zones WHERE id = ?'),
      zones: db.prepare<[], ZoneRow>('SELECT * FROM zones ORDER BY name'),
      recordsAt: db.prepare<[number, string], RecordRow>(
        `SELECT ${recordColumns} FROM records r JOIN zones z ON z.id = r.zone_id WHERE r.zone_id = ? AND r.name = ? ORDER BY r.type, r.id`,
      ),
      namesBelow: db
        .prepare<[number, string, string], number>(
          `SELECT 1 FROM records WHERE zone_id = ? AND substr(name, -length(?) - 1) = '.' || ? LIMIT 1`,
        )
        .pluck(),
      anyBelowApex: db.prepare<[number], number>(`SELECT 1 FROM records WHERE zone_id = ? AND name <> '@' LIMIT 1`).pluck(),
      allRecords: db.prepare<[number], RecordRow>(
        `SELECT ${recordColumns} FROM records r JOIN zones z ON z.id = r.zone_id WHERE r.zone_id = ? ORDER BY r.name, r.type, r.id`,
      ),
      record: db.prepare<[number, number], RecordRow>(
        `SELECT ${recordColumns} FROM records r JOIN zones z ON z.id = r.zone_id WHERE r.zone_id = ? AND r.id = ?`,
      ),
      typesAt: db.prepare<[number, string, number], { type: string }>(
        'SELECT type FROM records WHERE zone_id = ? AND name = ? AND id <> ?',
      ),
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      // writes
      insertZone: db.prepare<[string, string, string, number, number, number, number, number, string, string]>(
        `INSERT INTO zones (name, primary_ns, admin_email, refresh, retry, expire, minimum_ttl, serial, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateZone: db.prepare<[string, string, number, number, number, number, number]>(
        'UPDATE zones SET primary_ns = ?, admin_email = ?, refresh = ?, retry = ?, expire = ?, minimum_ttl = ? WHERE id = ?',
      ),
      deleteZone: db.prepare<[number]>('DELETE FROM zones WHERE id = ?'),
      bumpSerial: db.prepare<[number, string, number]>('UPDATE zones SET serial = ?, updated_at = ? WHERE id = ?'),
      insertRecord: db.prepare<[number, string, string, string, number, string, string]>(
        'INSERT INTO records (zone_id, name, type, value, ttl, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      updateRecord: db.prepare<[string, string, string, number, string, number]>(
        'UPDATE records SET name = ?, type = ?, value = ?, ttl = ?, updated_at = ? WHERE id = ?',
      ),
      deleteRecord: db.prepare<[number]>('DELETE FROM records WHERE id = ?'),
    };
  }

  // ---- zones

  listZones(): Zone[] {
    return this.#q.zones.all().map(zoneOf);
  }

  getZone(name: string): Zone {
    return zoneOf(this.#zoneRow(name));
  }

  createZone(input: ZoneInput): Zone {
    const zone = validZone(input);
    const stamp = this.#now().toISOString();
    const created = this.#write(() => {
      if (this.#q.zoneByName.get(zone.name)) throw new ConflictError(`zone ${zone.name} already exists`);
      const { lastInsertRowid } = this.#q.insertZone.run(
        zone.name,
        zone.primaryNs,
        zone.adminEmail,
        zone.refresh,
        zone.retry,
        zone.expire,
        zone.minimumTtl,
        firstSerial(this.#now()),
        stamp,
        stamp,
      );
      return this.#q.zoneById.get(Number(lastInsertRowid)) as ZoneRow;
    });
    return zoneOf(created);
  }

  /** updateZone changes SOA parameters (the name is the zone's identity and cannot change); it bumps the serial. */
  updateZone(name: string, input: Partial<ZoneInput>): Zone {
    const updated = this.#write(() => {
      const row = this.#zoneRow(name);
      if (input.name !== undefined && normalizeDomainName(input.name, 'name') !== row.name) {
        throw new InvalidRequestError('name: a zone cannot be renamed; create the new zone and move its records');
      }
      const next = validZone({
        name: row.name,
        primaryNs: input.primaryNs ?? row.primary_ns,
        adminEmail: input.adminEmail ?? row.admin_email,
        refresh: input.refresh ?? row.refresh,
        retry: input.retry ?? row.retry,
        expire: input.expire ?? row.expire,
        minimumTtl: input.minimumTtl ?? row.minimum_ttl,
      });
      this.#q.updateZone.run(next.primaryNs, next.adminEmail, next.refresh, next.retry, next.expire, next.minimumTtl, row.id);
      return this.#bump(row.id);
    });
    return zoneOf(updated);
  }

  deleteZone(name: string): void {
    this.#write(() => {
      const row = this.#zoneRow(name);
      this.#q.deleteZone.run(row.id);
      return row;
    });
  }

  // ---- records

  listRecords(zone: string, filter: RecordFilter = {}): DnsRecord[] {
    const row = this.#zoneRow(zone);
    let records = this.#q.allRecords.all(row.id).map(recordOf);
    if (filter.name !== undefined && filter.name !== '') {
      const name = normalizeRecordName(filter.name, row.name);
      records = records.filter((r) => r.name === name);
    }
    if (filter.type !== undefined && filter.type !== '') {
      const type = parseRecordType(filter.type);
      records = records.filter((r) => r.type === type);
    }
    return records;
  }

  getRecord(zone: string, id: number): DnsRecord {
    return recordOf(this.#recordRow(this.#zoneRow(zone), id));
  }

  createRecord(zone: string, input: RecordInput): DnsRecord {
    let id = 0;
    this.#write(() => {
      const zoneRow = this.#zoneRow(zone);
      const rec = validRecord(input, zoneRow.name);
      this.#checkExclusivity(zoneRow.id, rec.name, rec.type, 0);
      const stamp = this.#now().toISOString();
      try {
        id = Number(this.#q.insertRecord.run(zoneRow.id, rec.name, rec.type, rec.value, rec.ttl, stamp, stamp).lastInsertRowid);
      } catch (err) {
        throw uniqueViolation(err, rec);
      }
      return this.#bump(zoneRow.id);
    });
    return this.getRecord(zone, id);
  }

  /** updateRecord replaces a record whole (name, type, value, ttl), under the same rules as create. */
  updateRecord(zone: string, id: number, input: RecordInput): DnsRecord {
    this.#write(() => {
      const zoneRow = this.#zoneRow(zone);
      this.#recordRow(zoneRow, id);
      const rec = validRecord(input, zoneRow.name);
      this.#checkExclusivity(zoneRow.id, rec.name, rec.type, id);
      try {
        this.#q.updateRecord.run(rec.name, rec.type, rec.value, rec.ttl, this.#now().toISOString(), id);
      } catch (err) {
        throw uniqueViolation(err, rec);
      }
      return this.#bump(zoneRow.id);
    });
    return this.getRecord(zone, id);
  }

  /** deleteRecord removes a record and returns it as it was. */
  deleteRecord(zone: string, id: number): DnsRecord {
    let deleted: DnsRecord | undefined;
    this.#write(() => {
      const zoneRow = this.#zoneRow(zone);
      deleted = recordOf(this.#recordRow(zoneRow, id));
      this.#q.deleteRecord.run(id);
      return this.#bump(zoneRow.id);
    });
    return deleted as DnsRecord;
  }

  // ---- DNS read path

  /** findZoneFor returns the longest zone that contains qname (lower-case, no trailing dot). */
  findZoneFor(qname: string): Zone | undefined {
    let name = qname;
    for (;;) {
      const row = this.#q.zoneByName.get(name);
      if (row) return zoneOf(row);
      const dot = name.indexOf('.');
      if (dot < 0) return undefined;
      name = name.slice(dot + 1);
    }
  }

  /** recordsAt returns every record at a relative name ('@' for the apex). */
  recordsAt(zoneId: number, name: string): DnsRecord[] {
    return this.#q.recordsAt.all(zoneId, name).map(recordOf);
  }

  /** hasNamesBelow reports whether records exist under name, which makes an empty name NODATA, not NXDOMAIN. */
  hasNamesBelow(zoneId: number, name: string): boolean {
    if (name === '@') return this.#q.anyBelowApex.get(zoneId) !== undefined;
    return this.#q.namesBelow.get(zoneId, name, name) !== undefined;
  }

  /** allRecords returns a zone's records in a stable order (for AXFR). */
  allRecords(zoneId: number): DnsRecord[] {
    return this.#q.allRecords.all(zoneId).map(recordOf);
  }

  /**
   * changeStamp changes whenever the data may have changed: SQLite's data_version moves when
   * another connection commits, and the local counter when this store writes.
   */
  changeStamp(): string {
    return `${this.#q.dataVersion.get() ?? 0}:${this.#localWrites}`;
  }

  /** onChange calls listener with the zone (serial already bumped) after each committed change; returns the unsubscribe. */
  onChange(listener: (zone: Zone) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * seed inserts the config's zones and records with INSERT OR IGNORE semantics: what exists is
   * left alone (even if the config now says otherwise), what is new is added under the normal
   * rules, and a zone that gained records gets a new serial.
   */
  seed(seed: Seed): void {
    // One transaction (each write inside is a savepoint): a bad entry anywhere in the seed
    // leaves the database as it was, not half-seeded.
    this.#db
      .transaction(() => {
        for (const input of seed.zones) {
          const zone = validZone(input);
          if (!this.#q.zoneByName.get(zone.name)) this.createZone(input);
        }
        for (const input of seed.records) {
          const zoneRow = this.#zoneRow(input.zone);
          const rec = validRecord(input, zoneRow.name);
          const exists = this.#q.recordsAt.all(zoneRow.id, rec.name).some((r) => r.type === rec.type && r.value === rec.value);
          if (!exists) this.createRecord(zoneRow.name, input);
        }
      })
      .immediate();
  }

  // ---- internals

  #write(fn: () => ZoneRow): ZoneRow {
    const zone = this.#db.transaction(fn).immediate();
    this.#localWrites++;
    const changed = zoneOf(zone);
    for (const listener of this.#listeners) {
      try {
        listener(changed);
      } catch {
        // a listener's failure (a NOTIFY that cannot be sent) must not undo a committed write
      }
    }
    return zone;
  }

  #bump(zoneId: number): ZoneRow {
    const row = this.#q.zoneById.get(zoneId) as ZoneRow;
    this.#q.bumpSerial.run(nextSerial(row.serial, this.#now()), this.#now().toISOString(), zoneId);
    return this.#q.zoneById.get(zoneId) as ZoneRow;
  }

  #zoneRow(name: string): ZoneRow {
    const zone = normalizeDomainName(name, 'zone');
    const row = this.#q.zoneByName.get(zone);
    if (!row) throw new NotFoundError(`no zone named ${zone}`);
    return row;
  }

  #recordRow(zone: ZoneRow, id: number): RecordRow {
    const row = Number.isSafeInteger(id) && id > 0 ? this.#q.record.get(zone.id, id) : undefined;
    if (!row) throw new NotFoundError(`no record ${id} in zone ${zone.name}`);
    return row;
  }

  /** CNAME exclusivity (RFC 1034 §3.6.2, RFC 2181 §10.1): a CNAME is alone at its name, and there is at most one. */
  #checkExclusivity(zoneId: number, name: string, type: string, exceptId: number): void {
    const others = this.#q.typesAt.all(zoneId, name, exceptId).map((r) => r.type);
    if (type === 'CNAME' && others.includes('CNAME')) {
      throw new ConflictError(`${name} already has a CNAME; a name can have only one`);
    }
    if (type === 'CNAME' && others.length > 0) {
      throw new ConflictError(
        `${name} already has ${[...new Set(others)].join(', ')} records; a CNAME must be the only record at its name`,
      );
    }
    if (type !== 'CNAME' && others.includes('CNAME')) {
      throw new ConflictError(`${name} has a CNAME; remove it before adding ${type} records`);
    }
  }
}

/** openMcnsStore migrates the database and returns the store over it. */
export function openMcnsStore(db: SqliteDatabase, opts: StoreOptions = {}): McnsStore {
  return new McnsStore(db, opts);
}

function validZone(input: ZoneInput): Required<ZoneInput> {
  return {
    name: normalizeDomainName(input.name, 'name'),
    primaryNs: normalizeDomainName(input.primaryNs, 'primary_ns'),
    adminEmail: validAdminEmail(input.adminEmail),
    refresh: soaNumber(input.refresh, 3600, 'refresh'),
    retry: soaNumber(input.retry, 600, 'retry'),
    expire: soaNumber(input.expire, 86400, 'expire'),
    minimumTtl: soaNumber(input.minimumTtl, 300, 'minimum_ttl'),
  };
}

function validAdminEmail(raw: string): string {
  const value = raw.trim().toLowerCase();
  const at = value.indexOf('@');
  if (at < 0) return normalizeDomainName(value, 'admin_email');
  const local = value.slice(0, at);
  if (!/^[a-z0-9_+-]{1,63}$/.test(local)) {
    throw new InvalidRequestError(
      `admin_email: ${JSON.stringify(raw)} needs a mailbox of letters, digits, '_', '+' or '-' (no dots: SOA RNAME cannot carry them unescaped)`,
    );
  }
  return `${local}@${normalizeDomainName(value.slice(at + 1), 'admin_email')}`;
}

function soaNumber(raw: number | undefined, fallback: number, field: string): number {
  if (raw === undefined || raw === 0) return fallback;
  return parseTtl(raw, field);
}

function validRecord(input: RecordInput, zone: string): { name: string; type: string; value: string; ttl: number } {
  const name = normalizeRecordName(input.name, zone);
  const type = parseRecordType(input.type);
  if (type === 'CNAME' && name === '@') throw new InvalidRequestError("name: a CNAME cannot be at the zone apex ('@')");
  if (type === 'NS' && name !== '@') {
    throw new InvalidRequestError("name: NS records are only served at the apex ('@'); MCNS does not delegate subzones");
  }
  return { name, type, value: normalizeRecordValue(type, input.value), ttl: parseTtl(input.ttl) };
}

function uniqueViolation(err: unknown, rec: { name: string; type: string; value: string }): unknown {
  if (err instanceof Error && 'code' in err && err.code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new ConflictError(`a ${rec.type} record ${rec.name} -> ${rec.value} already exists`);
  }
  return err;
}

function zoneOf(row: ZoneRow): Zone {
  return {
    id: row.id,
    name: row.name,
    primaryNs: row.primary_ns,
    adminEmail: row.admin_email,
    refresh: row.refresh,
    retry: row.retry,
    expire: row.expire,
    minimumTtl: row.minimum_ttl,
    serial: row.serial,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function recordOf(row: RecordRow): DnsRecord {
  return {
    id: row.id,
    zoneId: row.zone_id,
    zone: row.zone,
    name: row.name,
    type: row.type as DnsRecord['type'],
    value: row.value,
    ttl: row.ttl,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
