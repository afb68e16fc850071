// Every RPC of MCNS over gRPC: Connect's gRPC transport (HTTP/2 + TLS 1.3) for each method,
// and @grpc/grpc-js with the .proto files loaded at run time (a client from another stack)
// for the record and zone calls and the standard health check. The REST tests show the same
// handlers over HTTP; here the codes are gRPC's (spec 2.10: NotFound, AlreadyExists,
// InvalidArgument, Unauthenticated, PermissionDenied).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { AdminService } from '@metacircular/proto/mcns/v1/admin_pb';
import { AuthService } from '@metacircular/proto/mcns/v1/auth_pb';
import { RecordService } from '@metacircular/proto/mcns/v1/record_pb';
import { ZoneService } from '@metacircular/proto/mcns/v1/zone_pb';
import { startTestMcns, type TestMcns } from '../src/testing.js';
import { bearer, grpcClients, type GrpcClients } from './api-grpc-client.js';

const zone = 'svc.mcp.metacircular.test';
// The repository's proto/ folder, from test/ (tsx) or dist/test/ (compiled).
const protoRoot = [new URL('../../../proto', import.meta.url), new URL('../../../../proto', import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((p) => existsSync(`${p}/mcns/v1/record.proto`))!;

async function codeOf(fn: () => Promise<unknown>): Promise<Code | 'ok'> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

describe('MCNS gRPC API (Connect gRPC transport)', () => {
  let m: TestMcns;
  let g: GrpcClients;
  let admin: { headers: Record<string, string> };

  before(async () => {
    m = await startTestMcns({ records: [{ zone, name: 'metacrypt', type: 'A', value: '192.168.88.181' }] });
    g = grpcClients(m.grpcUrl, m.caCert);
    admin = bearer(m.adminToken);
  });
  after(async () => {
    g?.close();
    await m?.stop();
  });

  it('AdminService.Health is public', async () => {
    assert.equal((await g.client(AdminService).health({})).status, 'ok');
  });

  it('AuthService.Login forwards to MCIAS; Logout revokes the token', async () => {
    await m.mcias.createAccount({ username: 'erin', password: 'erin-password-1', roles: ['user'] });
    const auth = g.client(AuthService);
    assert.equal(await codeOf(() => auth.login({ username: 'erin', password: 'wrong-password-1' })), Code.Unauthenticated);
    assert.equal(await codeOf(() => auth.login({ username: 'erin', password: '' })), Code.InvalidArgument);
    const { token, expiresAt } = await auth.login({ username: 'erin', password: 'erin-password-1' });
    assert.ok(expiresAt && timestampDate(expiresAt) > new Date());
    assert.equal((await g.client(ZoneService).listZones({}, bearer(token))).zones.length, 2);
    await auth.logout({}, bearer(token));
    assert.equal(await codeOf(() => g.client(ZoneService).listZones({}, bearer(token))), Code.Unauthenticated);
    assert.equal(await codeOf(() => auth.logout({})), Code.Unauthenticated);
  });

  it('ZoneService: ListZones, CreateZone, GetZone, UpdateZone, DeleteZone', async () => {
    const zones = g.client(ZoneService);
    const names = (await zones.listZones({}, admin)).zones.map((z) => z.name).sort();
    assert.deepEqual(names, ['mcp.metacircular.test', zone]);
    const created = await zones.createZone(
      { name: 'grpc.example.test', primaryNs: 'ns.grpc.example.test', adminEmail: 'hostmaster@example.test', expire: 604800 },
      admin,
    );
    assert.deepEqual([created.name, created.refresh, created.expire], ['grpc.example.test', 3600, 604800]);
    assert.match(String(created.serial), /^\d{10}$/);
    assert.ok(created.createdAt && timestampDate(created.createdAt) <= new Date());
    assert.equal((await zones.getZone({ zone: 'GRPC.example.test' }, admin)).id, created.id);
    const updated = await zones.updateZone({ zone: 'grpc.example.test', primaryNs: 'ns2.grpc.example.test' }, admin);
    assert.equal(updated.primaryNs, 'ns2.grpc.example.test');
    assert.ok(updated.serial > created.serial);
    assert.equal(
      await codeOf(() => zones.createZone({ name: 'grpc.example.test', primaryNs: 'a.b', adminEmail: 'h@b.c' }, admin)),
      Code.AlreadyExists,
    );
    assert.equal(
      await codeOf(() => zones.createZone({ name: 'bad..name', primaryNs: 'a.b', adminEmail: 'h@b.c' }, admin)),
      Code.InvalidArgument,
    );
    await zones.deleteZone({ zone: 'grpc.example.test' }, admin);
    assert.equal(await codeOf(() => zones.getZone({ zone: 'grpc.example.test' }, admin)), Code.NotFound);
  });

  it('RecordService: ListRecords, CreateRecord, GetRecord, UpdateRecord, DeleteRecord', async () => {
    const records = g.client(RecordService);
    const zones = g.client(ZoneService);
    const s0 = (await zones.getZone({ zone }, admin)).serial;
    const created = await records.createRecord({ zone, name: 'mcr', type: 'AAAA', value: '2001:DB8::0:1' }, admin);
    assert.deepEqual(
      [created.zone, created.name, created.type, created.value, created.ttl],
      [zone, 'mcr', 'AAAA', '2001:db8::1', 300],
    );
    assert.ok((await zones.getZone({ zone }, admin)).serial > s0);
    assert.deepEqual((await records.getRecord({ zone, id: created.id }, admin)).value, '2001:db8::1');
    const listed = await records.listRecords({ zone, type: 'AAAA' }, admin);
    assert.deepEqual(
      listed.records.map((r) => r.name),
      ['mcr'],
    );
    assert.equal((await records.listRecords({ zone, name: 'metacrypt' }, admin)).records.length, 1);
    const updated = await records.updateRecord({ zone, id: created.id, value: '2001:db8::2', ttl: 30 }, admin);
    assert.deepEqual([updated.value, updated.ttl, updated.name], ['2001:db8::2', 30, 'mcr']);
    assert.equal(
      await codeOf(() => records.createRecord({ zone, name: 'mcr', type: 'CNAME', value: 'x.example.test' }, admin)),
      Code.AlreadyExists,
    );
    assert.equal(
      await codeOf(() => records.createRecord({ zone, name: 'mcr', type: 'A', value: '300.1.1.1' }, admin)),
      Code.InvalidArgument,
    );
    await records.deleteRecord({ zone, id: created.id }, admin);
    assert.equal(await codeOf(() => records.getRecord({ zone, id: created.id }, admin)), Code.NotFound);
    assert.equal(await codeOf(() => records.listRecords({ zone: 'nope.test' }, admin)), Code.NotFound);
  });
});

describe('MCNS gRPC API (@grpc/grpc-js client)', () => {
  let m: TestMcns;
  type Callback = (err: grpc.ServiceError | null, res: Record<string, unknown>) => void;
  type Stub = grpc.Client & Record<string, (req: unknown, md: grpc.Metadata, cb: Callback) => void>;
  let records: Stub;
  let zones: Stub;
  let health: Stub;

  before(async () => {
    m = await startTestMcns();
    const def = protoLoader.loadSync(['mcns/v1/record.proto', 'mcns/v1/zone.proto', 'grpc/health/v1/health.proto'], {
      includeDirs: [protoRoot],
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      arrays: true,
    });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      mcns: { v1: { RecordService: grpc.ServiceClientConstructor; ZoneService: grpc.ServiceClientConstructor } };
      grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
    };
    const port = new URL(m.grpcUrl).port;
    const creds = grpc.credentials.createSsl(Buffer.from(m.caCert));
    records = new pkg.mcns.v1.RecordService(`localhost:${port}`, creds) as Stub;
    zones = new pkg.mcns.v1.ZoneService(`localhost:${port}`, creds) as Stub;
    health = new pkg.grpc.health.v1.Health(`localhost:${port}`, creds) as Stub;
  });
  after(async () => {
    records?.close();
    zones?.close();
    health?.close();
    await m?.stop();
  });

  const call = (stub: Stub, method: string, req: unknown, token?: string) => {
    const md = new grpc.Metadata();
    if (token) md.set('authorization', `Bearer ${token}`);
    return new Promise<{ err: grpc.ServiceError | null; res: Record<string, unknown> }>((resolve) => {
      stub[method]!(req, md, (err, res) => resolve({ err, res }));
    });
  };

  it('creates, lists and deletes a record; int64 ids travel as strings', async () => {
    const created = await call(
      records,
      'CreateRecord',
      { zone, name: 'grpcjs', type: 'TXT', value: 'hello from grpc-js' },
      m.adminToken,
    );
    assert.equal(created.err, null);
    assert.equal(created.res['name'], 'grpcjs');
    assert.match(String(created.res['id']), /^\d+$/);
    const listed = await call(records, 'ListRecords', { zone, name: 'grpcjs' }, m.adminToken);
    assert.equal(listed.err, null);
    assert.deepEqual(
      (listed.res['records'] as Array<{ value: string }>).map((r) => r.value),
      ['hello from grpc-js'],
    );
    const deleted = await call(records, 'DeleteRecord', { zone, id: created.res['id'] }, m.adminToken);
    assert.equal(deleted.err, null);
  });

  it('gets the gRPC status codes of spec 2.10', async () => {
    assert.equal((await call(zones, 'ListZones', {})).err?.code, grpc.status.UNAUTHENTICATED);
    assert.equal((await call(zones, 'GetZone', { zone: 'nope.test' }, m.adminToken)).err?.code, grpc.status.NOT_FOUND);
    const agent = await m.token('mcp-agent', { accountType: 'system' });
    const denied = await call(zones, 'CreateZone', { name: 'x.test', primary_ns: 'ns.x.test', admin_email: 'h@x.test' }, agent);
    assert.equal(denied.err?.code, grpc.status.PERMISSION_DENIED);
    const bad = await call(records, 'CreateRecord', { zone, name: 'x', type: 'A', value: 'not-an-ip' }, m.adminToken);
    assert.equal(bad.err?.code, grpc.status.INVALID_ARGUMENT);
  });

  it('answers the standard gRPC health check', async () => {
    const res = await call(health, 'Check', { service: '' });
    assert.equal(res.err, null);
    assert.equal(res.res['status'], 'SERVING');
  });
});
