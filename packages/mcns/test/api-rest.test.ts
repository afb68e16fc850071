// Every REST route of MCNS against a real server and a real MCIAS: the JSON shapes of spec 2.9,
// the statuses (201 on create, 204 on delete), the filters, login/logout through MCIAS, and the
// access table's completeness (default deny holds only if every route is listed).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { missingAccessRules } from '@metacircular/mcdsl';
import { rpcAccess } from '../src/access-table.js';
import { startTestMcns, type TestMcns } from '../src/testing.js';

interface RecordJson {
  id: string;
  zone: string;
  name: string;
  type: string;
  value: string;
  ttl: number;
  created_at: string;
  updated_at: string;
}
interface ZoneJson {
  id: string;
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

const svc = 'svc.mcp.metacircular.test';
const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe('MCNS REST API', () => {
  let m: TestMcns;
  let admin: string;

  before(async () => {
    m = await startTestMcns({
      records: [
        { zone: svc, name: 'metacrypt', type: 'A', value: '192.168.88.181' },
        { zone: svc, name: 'metacrypt', type: 'A', value: '100.95.252.120' },
        { zone: 'mcp.metacircular.test', name: 'ns', type: 'A', value: '127.0.0.1', ttl: 600 },
      ],
    });
    admin = m.adminToken;
  });
  after(() => m?.stop());

  const serial = async (zone = svc): Promise<number> =>
    (await m.request('GET', `/v1/zones/${zone}`, { token: admin })).json<ZoneJson>().serial;

  it('lists every REST route and RPC in the access table, and nothing that does not exist', async () => {
    const { unlisted, unused } = await missingAccessRules(m.server.http.app, m.server.access);
    assert.deepEqual(unlisted, []);
    assert.deepEqual(unused, []);
    const procedures = m.server.services.flatMap((reg) => reg.service.methods.map((x) => `/${reg.service.typeName}/${x.name}`));
    for (const p of procedures) assert.ok(rpcAccess[p], `${p} is not in the access table`);
    const known = new Set([...procedures, '/grpc.health.v1.Health/Check', '/grpc.health.v1.Health/Watch']);
    for (const key of Object.keys(rpcAccess)) assert.ok(known.has(key), `${key} names no RPC`);
    assert.equal(m.server.access['POST /v1/zones']?.level, 'admin');
    assert.equal(m.server.access['POST /v1/zones/:zone/records']?.level, 'authenticated');
  });

  it('GET /v1/health is public', async () => {
    const res = await m.request('GET', '/v1/health');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  it('POST /v1/auth/login forwards to MCIAS (with service_name mcns) and the token works; logout revokes it', async () => {
    await m.mcias.createAccount({ username: 'carol', password: 'carol-password-1', roles: ['user'] });
    const bad = await m.request('POST', '/v1/auth/login', { body: { username: 'carol', password: 'wrong-password-1' } });
    assert.equal(bad.status, 401);
    assert.match(bad.json<{ error: string }>().error, /invalid credentials/);
    const res = await m.request('POST', '/v1/auth/login', { body: { username: 'carol', password: 'carol-password-1' } });
    assert.equal(res.status, 200, res.body);
    const { token, expires_at } = res.json<{ token: string; expires_at: string }>();
    assert.match(expires_at, rfc3339);
    assert.equal((await m.request('GET', '/v1/zones', { token })).status, 200);
    const out = await m.request('POST', '/v1/auth/logout', { token, body: {} });
    assert.equal(out.status, 204, out.body);
    assert.equal((await m.request('GET', '/v1/zones', { token })).status, 401, 'the token is revoked at once');
    const check = await m.mcias.request('POST', '/v1/token/validate', { body: { token } });
    assert.equal(check.json<{ valid: boolean }>().valid, false);
  });

  it('POST /v1/auth/login answers 403 when the MCIAS login policy denies the service', async () => {
    await m.mcias.createAccount({ username: 'dave', password: 'dave-password-1', roles: ['viewer'] });
    const rule = await m.mcias.request('POST', '/v1/policy/rules', {
      token: admin,
      body: { enabled: true, priority: 10, effect: 'deny', roles: ['viewer'], actions: ['auth:login'], service_names: ['mcns'] },
    });
    assert.equal(rule.status, 200, rule.body);
    const res = await m.request('POST', '/v1/auth/login', { body: { username: 'dave', password: 'dave-password-1' } });
    assert.equal(res.status, 403, res.body);
    assert.equal((await m.mcias.login('dave', 'dave-password-1', { service_name: 'wiki' })).length > 0, true);
  });

  it('zones: list, get, create (201), update (serial bumps), delete (204)', async () => {
    const list = await m.request('GET', '/v1/zones', { token: admin });
    assert.equal(list.status, 200);
    const zones = list.json<{ zones: ZoneJson[] }>().zones;
    assert.deepEqual(zones.map((z) => z.name).sort(), ['mcp.metacircular.test', svc]);

    const got = await m.request('GET', `/v1/zones/${svc}`, { token: admin });
    assert.equal(got.status, 200);
    const zone = got.json<ZoneJson>();
    assert.deepEqual(Object.keys(zone).sort(), [
      'admin_email',
      'created_at',
      'expire',
      'id',
      'minimum_ttl',
      'name',
      'primary_ns',
      'refresh',
      'retry',
      'serial',
      'updated_at',
    ]);
    assert.equal(zone.primary_ns, 'ns.mcp.metacircular.test');
    assert.match(String(zone.serial), /^\d{10}$/);
    assert.match(zone.created_at, rfc3339);

    const created = await m.request('POST', '/v1/zones', {
      token: admin,
      body: {
        name: 'Lab.Example.Test.',
        primary_ns: 'ns.lab.example.test',
        admin_email: 'hostmaster@example.test',
        refresh: 7200,
      },
    });
    assert.equal(created.status, 201, created.body);
    const lab = created.json<ZoneJson>();
    assert.deepEqual(
      [lab.name, lab.refresh, lab.retry, lab.expire, lab.minimum_ttl],
      ['lab.example.test', 7200, 600, 86400, 300],
    );
    assert.equal(
      (
        await m.request('POST', '/v1/zones', {
          token: admin,
          body: { name: 'lab.example.test', primary_ns: 'ns.x.test', admin_email: 'h@x.test' },
        })
      ).status,
      409,
    );

    const updated = await m.request('PUT', '/v1/zones/lab.example.test', { token: admin, body: { minimum_ttl: 60 } });
    assert.equal(updated.status, 200, updated.body);
    const after = updated.json<ZoneJson>();
    assert.equal(after.minimum_ttl, 60);
    assert.equal(after.refresh, 7200, 'fields left out keep their value');
    assert.ok(after.serial > lab.serial, 'an SOA change bumps the serial');

    const deleted = await m.request('DELETE', '/v1/zones/lab.example.test', { token: admin });
    assert.equal(deleted.status, 204);
    assert.equal(deleted.body, '');
    assert.equal((await m.request('GET', '/v1/zones/lab.example.test', { token: admin })).status, 404);
    assert.equal((await m.request('DELETE', '/v1/zones/lab.example.test', { token: admin })).status, 404);
  });

  it('records: list with filters, in the shape of spec 2.9', async () => {
    const res = await m.request('GET', `/v1/zones/${svc}/records`, { token: admin });
    assert.equal(res.status, 200);
    const { records } = res.json<{ records: RecordJson[] }>();
    assert.equal(records.length, 2);
    const first = records[0]!;
    assert.deepEqual(Object.keys(first).sort(), ['created_at', 'id', 'name', 'ttl', 'type', 'updated_at', 'value', 'zone']);
    assert.deepEqual([first.zone, first.name, first.type, first.ttl], [svc, 'metacrypt', 'A', 300]);
    assert.match(first.id, /^\d+$/);

    const byName = await m.request('GET', `/v1/zones/${svc}/records?name=METACRYPT`, { token: admin });
    assert.equal(byName.json<{ records: RecordJson[] }>().records.length, 2, 'the name filter is case-insensitive');
    const byType = await m.request('GET', `/v1/zones/${svc}/records?name=metacrypt&type=AAAA`, { token: admin });
    assert.deepEqual(byType.json<{ records: RecordJson[] }>().records, []);
    const ns = await m.request('GET', '/v1/zones/mcp.metacircular.test/records?type=a', { token: admin });
    assert.deepEqual(
      ns.json<{ records: RecordJson[] }>().records.map((r) => [r.name, r.value, r.ttl]),
      [['ns', '127.0.0.1', 600]],
    );
    assert.equal((await m.request('GET', `/v1/zones/${svc}/records?type=BOGUS`, { token: admin })).status, 400);
    assert.equal((await m.request('GET', '/v1/zones/nope.test/records', { token: admin })).status, 404);
  });

  it('records: create (201) with the default TTL, get, update (partial), delete (204); each write bumps the serial', async () => {
    const s0 = await serial();
    const created = await m.request('POST', `/v1/zones/${svc}/records`, {
      token: admin,
      body: { name: 'MCR', type: 'a', value: '10.0.0.5' },
    });
    assert.equal(created.status, 201, created.body);
    const rec = created.json<RecordJson>();
    assert.deepEqual([rec.zone, rec.name, rec.type, rec.value, rec.ttl], [svc, 'mcr', 'A', '10.0.0.5', 300]);
    const s1 = await serial();
    assert.ok(s1 > s0, `serial ${s1} > ${s0}`);

    const got = await m.request('GET', `/v1/zones/${svc}/records/${rec.id}`, { token: admin });
    assert.equal(got.status, 200);
    assert.deepEqual(got.json(), rec);

    const updated = await m.request('PUT', `/v1/zones/${svc}/records/${rec.id}`, { token: admin, body: { ttl: 60 } });
    assert.equal(updated.status, 200, updated.body);
    assert.deepEqual((({ name, type, value, ttl }) => [name, type, value, ttl])(updated.json<RecordJson>()), [
      'mcr',
      'A',
      '10.0.0.5',
      60,
    ]);
    const s2 = await serial();
    assert.ok(s2 > s1);

    const absolute = await m.request('POST', `/v1/zones/${svc}/records`, {
      token: admin,
      body: { name: `www.${svc}.`, type: 'CNAME', value: `mcr.${svc}.`, ttl: 120 },
    });
    assert.equal(absolute.status, 201, absolute.body);
    assert.deepEqual(
      (({ name, value }) => [name, value])(absolute.json<RecordJson>()),
      ['www', `mcr.${svc}`],
      'an absolute name inside the zone is stored relative; names are stored without the trailing dot',
    );

    const deleted = await m.request('DELETE', `/v1/zones/${svc}/records/${rec.id}`, { token: admin });
    assert.equal(deleted.status, 204);
    assert.ok((await serial()) > s2);
    assert.equal((await m.request('GET', `/v1/zones/${svc}/records/${rec.id}`, { token: admin })).status, 404);
    assert.equal((await m.request('DELETE', `/v1/zones/${svc}/records/${rec.id}`, { token: admin })).status, 404);
    assert.equal((await m.request('GET', `/v1/zones/${svc}/records/abc`, { token: admin })).status, 400);
  });

  it('a record id is looked up inside the zone named in the path', async () => {
    const rec = (
      await m.request('POST', '/v1/zones/mcp.metacircular.test/records', {
        token: admin,
        body: { name: 'rift', type: 'A', value: '192.168.88.181' },
      })
    ).json<RecordJson>();
    assert.equal((await m.request('GET', `/v1/zones/${svc}/records/${rec.id}`, { token: admin })).status, 404);
    assert.equal((await m.request('DELETE', `/v1/zones/${svc}/records/${rec.id}`, { token: admin })).status, 404);
    assert.equal((await m.request('GET', `/v1/zones/mcp.metacircular.test/records/${rec.id}`, { token: admin })).status, 200);
  });
});
