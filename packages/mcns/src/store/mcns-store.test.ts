import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { ConflictError, InvalidRequestError, NotFoundError, openDatabase, type SqliteDatabase } from '@metacircular/mcdsl';
import { openMcnsStore, type McnsStore } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'mcns-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
let now = new Date('2026-11-30T10:00:00Z');
function fresh(): { db: SqliteDatabase; store: McnsStore; path: string } {
  const path = join(dir, `s${n++}.db`);
  const db = openDatabase(path);
  const store = openMcnsStore(db, { now: () => now });
  store.createZone({ name: 'svc.mcp.example.test', primaryNs: 'ns.mcp.example.test', adminEmail: 'admin@example.test' });
  store.createZone({ name: 'mcp.example.test', primaryNs: 'ns.mcp.example.test.', adminEmail: 'hostmaster.example.test' });
  return { db, store, path };
}

describe('McnsStore', () => {
  beforeEach(() => {
    now = new Date('2026-11-30T10:00:00Z');
  });

  it('starts a zone at today*100+1 and bumps the serial with every change, in the same transaction', () => {
    const { store } = fresh();
    assert.equal(store.getZone('svc.mcp.example.test').serial, 2026113001);
    const rec = store.createRecord('svc.mcp.example.test', { name: 'Metacrypt', type: 'a', value: '192.0.2.10' });
    assert.equal(rec.name, 'metacrypt');
    assert.equal(rec.type, 'A');
    assert.equal(rec.ttl, 300);
    assert.equal(store.getZone('svc.mcp.example.test').serial, 2026113002);
    store.updateRecord('svc.mcp.example.test', rec.id, { name: 'metacrypt', type: 'A', value: '192.0.2.11', ttl: 60 });
    store.deleteRecord('svc.mcp.example.test', rec.id);
    assert.equal(store.getZone('svc.mcp.example.test').serial, 2026113004);
    // the other zone did not move
    assert.equal(store.getZone('mcp.example.test').serial, 2026113001);
    now = new Date('2026-12-01T00:00:01Z');
    store.createRecord('svc.mcp.example.test', { name: 'x', type: 'A', value: '192.0.2.1' });
    assert.equal(store.getZone('svc.mcp.example.test').serial, 2026120101);
    now = new Date('2026-11-01T00:00:00Z'); // the clock went back: still grows
    store.createRecord('svc.mcp.example.test', { name: 'y', type: 'A', value: '192.0.2.1' });
    assert.equal(store.getZone('svc.mcp.example.test').serial, 2026120102);
  });

  it('enforces CNAME exclusivity, one CNAME per name and no CNAME at the apex, changing nothing on refusal', () => {
    const { store } = fresh();
    const zone = 'svc.mcp.example.test';
    store.createRecord(zone, { name: 'www', type: 'A', value: '192.0.2.1' });
    const serial = store.getZone(zone).serial;
    assert.throws(() => store.createRecord(zone, { name: 'www', type: 'CNAME', value: 'web.example.test' }), ConflictError);
    const c = store.createRecord(zone, { name: 'alias', type: 'CNAME', value: 'WWW.svc.mcp.example.test.' });
    assert.equal(c.value, 'www.svc.mcp.example.test');
    assert.throws(() => store.createRecord(zone, { name: 'alias', type: 'CNAME', value: 'other.example.test' }), ConflictError);
    assert.throws(() => store.createRecord(zone, { name: 'alias', type: 'AAAA', value: '2001:db8::1' }), ConflictError);
    assert.throws(() => store.createRecord(zone, { name: '@', type: 'CNAME', value: 'x.example.test' }), InvalidRequestError);
    // an update is held to the same rules
    const a = store.listRecords(zone, { name: 'www' })[0];
    assert.ok(a);
    assert.throws(() => store.updateRecord(zone, a.id, { name: 'alias', type: 'A', value: '192.0.2.1' }), ConflictError);
    assert.equal(store.getZone(zone).serial, serial + 1);
    assert.equal(store.listRecords(zone).length, 2);
  });

  it('validates values per type and stores one normal form', () => {
    const { store } = fresh();
    const zone = 'svc.mcp.example.test';
    const bad: Array<[string, string]> = [
      ['A', '2001:db8::1'],
      ['A', '256.1.1.1'],
      ['AAAA', '192.0.2.1'],
      ['MX', 'mail.example.test'],
      ['SRV', '1 2 70000 x.example.test'],
      ['CAA', 'issue ca.example.net'],
      ['CNAME', 'bad_label-.example'],
      ['TXT', ''],
    ];
    for (const [type, value] of bad) {
      assert.throws(() => store.createRecord(zone, { name: 'v', type, value }), InvalidRequestError, `${type} ${value}`);
    }
    assert.throws(() => store.createRecord(zone, { name: 'v', type: 'HINFO', value: 'x' }), InvalidRequestError);
    assert.throws(() => store.createRecord(zone, { name: 'v', type: 'A', value: '192.0.2.1', ttl: -1 }), InvalidRequestError);
    assert.throws(() => store.createRecord(zone, { name: 'v', type: 'NS', value: 'ns.example.test' }), InvalidRequestError);
    assert.throws(() => store.createRecord(zone, { name: 'x.other.test.', type: 'A', value: '192.0.2.1' }), InvalidRequestError);
    assert.equal(store.createRecord(zone, { name: 'v6', type: 'AAAA', value: '2001:DB8:0:0::1' }).value, '2001:db8::1');
    assert.throws(() => store.createRecord(zone, { name: 'v6', type: 'AAAA', value: '2001:db8::0:1' }), ConflictError);
    assert.equal(
      store.createRecord(zone, { name: '@', type: 'MX', value: '10  Mail.Example.Test.' }).value,
      '10 mail.example.test',
    );
    assert.equal(
      store.createRecord(zone, { name: '_sip._tcp', type: 'SRV', value: '10 5 5060 sip.example.test' }).value,
      '10 5 5060 sip.example.test',
    );
    assert.equal(
      store.createRecord(zone, { name: '@', type: 'CAA', value: '0 ISSUE "ca.example.net"' }).value,
      '0 issue "ca.example.net"',
    );
    assert.equal(
      store.createRecord(zone, { name: 'abs.svc.mcp.example.test.', type: 'TXT', value: ' spaced ' }).value,
      ' spaced ',
    );
    assert.equal(store.listRecords(zone, { name: 'abs' })[0]?.name, 'abs');
  });

  it('finds the longest zone, tells NODATA from NXDOMAIN for empty non-terminals, and lists for AXFR', () => {
    const { store } = fresh();
    store.createRecord('svc.mcp.example.test', { name: 'a.b', type: 'A', value: '192.0.2.1' });
    assert.equal(store.findZoneFor('a.b.svc.mcp.example.test')?.name, 'svc.mcp.example.test');
    assert.equal(store.findZoneFor('rift.mcp.example.test')?.name, 'mcp.example.test');
    assert.equal(store.findZoneFor('example.test'), undefined);
    const zoneId = store.getZone('svc.mcp.example.test').id;
    assert.equal(store.recordsAt(zoneId, 'a.b').length, 1);
    assert.equal(store.hasNamesBelow(zoneId, 'b'), true);
    assert.equal(store.hasNamesBelow(zoneId, 'a.b'), false);
    assert.equal(store.hasNamesBelow(zoneId, 'c'), false);
    assert.equal(store.hasNamesBelow(zoneId, '@'), true);
    assert.equal(store.allRecords(zoneId).length, 1);
  });

  it('changes its stamp on every write, including writes by another connection, and tells listeners after commit', () => {
    const { store, path } = fresh();
    const seen: number[] = [];
    store.onChange((z) => seen.push(z.serial));
    const s0 = store.changeStamp();
    assert.equal(store.changeStamp(), s0);
    store.createRecord('mcp.example.test', { name: 'rift', type: 'A', value: '192.0.2.2' });
    const s1 = store.changeStamp();
    assert.notEqual(s1, s0);
    assert.deepEqual(seen, [2026113002]);
    const other = openMcnsStore(openDatabase(path), { now: () => now });
    other.createRecord('mcp.example.test', { name: 'orion', type: 'A', value: '192.0.2.3' });
    assert.notEqual(store.changeStamp(), s1);
    // a refused write changes nothing and tells nobody
    assert.throws(() => store.createRecord('mcp.example.test', { name: 'rift', type: 'A', value: '192.0.2.2' }), ConflictError);
    assert.deepEqual(seen, [2026113002]);
  });

  it('seeds with INSERT OR IGNORE semantics: twice is harmless', () => {
    const { store } = fresh();
    const seed = {
      zones: [{ name: 'lab.example.test', primaryNs: 'ns.lab.example.test', adminEmail: 'admin@example.test' }],
      records: [
        { zone: 'lab.example.test', name: 'ns', type: 'A', value: '127.0.0.1' },
        { zone: 'lab.example.test', name: '@', type: 'NS', value: 'ns.lab.example.test' },
      ],
    };
    store.seed(seed);
    const serial = store.getZone('lab.example.test').serial;
    store.seed(seed);
    assert.equal(store.getZone('lab.example.test').serial, serial);
    assert.equal(store.listRecords('lab.example.test').length, 2);
  });

  it('seeds all or nothing: a bad entry leaves no zone or record of that seed behind', () => {
    const { store } = fresh();
    const seed = {
      zones: [{ name: 'half.example.test', primaryNs: 'ns.half.example.test', adminEmail: 'admin@example.test' }],
      records: [
        { zone: 'half.example.test', name: 'ok', type: 'A', value: '127.0.0.1' },
        { zone: 'half.example.test', name: 'bad', type: 'A', value: 'not-an-address' },
      ],
    };
    assert.throws(() => store.seed(seed), InvalidRequestError);
    assert.throws(() => store.getZone('half.example.test'), NotFoundError);
  });

  it('answers unknown zones and records with NotFoundError, and refuses a duplicate zone', () => {
    const { store } = fresh();
    assert.throws(() => store.getZone('nope.test'), NotFoundError);
    assert.throws(() => store.getRecord('mcp.example.test', 999), NotFoundError);
    assert.throws(() => store.deleteRecord('mcp.example.test', 999), NotFoundError);
    assert.throws(
      () => store.createZone({ name: 'MCP.example.test.', primaryNs: 'ns.example.test', adminEmail: 'a@example.test' }),
      ConflictError,
    );
    const z = store.updateZone('mcp.example.test', { refresh: 7200 });
    assert.equal(z.refresh, 7200);
    assert.equal(z.serial, 2026113002);
    store.deleteZone('mcp.example.test');
    assert.throws(() => store.getZone('mcp.example.test'), NotFoundError);
  });
});
