// The audit table on a real SQLite file: a detail too long for its column is stored shortened
// but still valid JSON, so listing never fails on it (an ACME order or a certificate may carry
// up to 100 SANs, far more than the column holds).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase, type SqliteDatabase } from '@metacircular/mcdsl';
import { migrations } from '../store/index.js';
import { AuditLog, detailJson, maxDetail } from './audit-log.js';

describe('audit log', () => {
  let dir: string;
  let db: SqliteDatabase;
  let log: AuditLog;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metacrypt-audit-'));
    db = openDatabase(join(dir, 'metacrypt.db'));
    migrate(db, migrations);
    log = new AuditLog(db, () => new Date());
  });
  after(async () => {
    db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores a short detail as given', () => {
    log.record({ action: 'short', result: 'allow', detail: { serial: 'ab', sans: ['a.example.test'] } });
    const [event] = log.list({ action: 'short', limit: 10 });
    assert.deepEqual(event?.detail, { serial: 'ab', sans: ['a.example.test'] });
  });

  it('shortens a long detail to valid JSON within the cap, and listing still works', () => {
    const sans = Array.from({ length: 100 }, (_, i) => `host-${i}-${'x'.repeat(40)}.svc.mcp.example.test`);
    log.record({ action: 'long', result: 'deny', detail: { account: 'acct', sans } });
    const [event] = log.list({ action: 'long', limit: 10 });
    assert.ok(event);
    assert.equal(event.detail.truncated, true);
    assert.equal(event.detail.account, 'acct');
    const listed = event.detail.sans as string[];
    assert.equal(listed.length, 21);
    assert.equal(listed[20], '... 80 more');
    assert.ok(JSON.stringify(event.detail).length <= maxDetail);
  });

  it('falls back to the keys when even the shortened detail is too long', () => {
    const detail = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`key${i}`, 'v'.repeat(60)]));
    const text = detailJson(detail);
    assert.ok(text.length <= maxDetail);
    const parsed = JSON.parse(text) as { truncated: boolean; keys: string[] };
    assert.equal(parsed.truncated, true);
    assert.equal(parsed.keys.length, 20);
  });

  it('lists rows whose stored detail is not valid JSON (written by older versions)', () => {
    db.prepare(
      `INSERT INTO audit_events (time, caller, account_type, is_admin, action, mount, resource, result, reason, request_id, detail)
       VALUES (?, '', '', 0, 'legacy', '', '', 'allow', '', '', ?)`,
    ).run(new Date().toISOString(), '{"sans":["a.example.te');
    const [event] = log.list({ action: 'legacy', limit: 10 });
    assert.deepEqual(event?.detail, { truncated: true });
    assert.ok(log.list({ limit: 100 }).length >= 3);
  });
});
