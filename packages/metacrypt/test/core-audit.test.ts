// The audit log: one record per RPC (REST and gRPC alike) with caller, account type, admin
// flag, procedure, mount, result, reason, request id and the policy decision and engine
// detail; REST requests and gRPC calls refused by the access check are recorded too; GET
// /v1/audit filters and pages (admin only). No request value (passwords, plaintext) reaches the audit table or the server log.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Code, ConnectError } from '@connectrpc/connect';
import { MountService } from '@metacircular/proto/metacrypt/v1/mount_pb';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';
import { bearer, grpcClients } from './core-grpc-client.js';
import { noteModule } from './core-note-engine.js';

interface Event {
  id: string;
  caller: string;
  account_type: string;
  is_admin: boolean;
  action: string;
  mount: string;
  resource: string;
  result: string;
  reason: string;
  request_id: string;
  detail: Record<string, unknown>;
}

describe('audit', () => {
  let mc: TestMetacrypt;
  let alice: string;
  const secret = `secret-${randomBytes(8).toString('hex')}`;
  const events = async (query = '') => {
    const res = await mc.request('GET', `/v1/audit${query}`, { token: mc.adminToken });
    assert.equal(res.status, 200, res.body);
    return res.json<{ events: Event[]; next_page_token: string }>();
  };

  before(async () => {
    mc = await startTestMetacrypt({ modules: [noteModule], mounts: [{ name: 'notes', type: 'transit' }] });
    alice = await mc.token('alice', { roles: ['user'] });
  });
  after(() => mc?.stop());

  it('records a policy denial with the resource and the reason', async () => {
    const res = await mc.request('POST', '/v1/echo', { token: alice, body: { id: 'notes', text: 'k', tags: [secret] } });
    assert.equal(res.status, 403);
    const [e] = (await events('?caller=alice&result=deny&limit=1')).events;
    assert.ok(e);
    assert.equal(e.action, '/mcdsl.v1.EchoService/CreateEcho');
    assert.equal(e.account_type, 'human');
    assert.equal(e.is_admin, false);
    assert.equal(e.resource, 'transit/notes/keys/k');
    assert.match(e.reason, /no policy rule allows action "write" on "transit\/notes\/keys\/k"/);
    assert.equal(e.detail.policy_action, 'write');
    assert.match(e.request_id, /^[0-9a-f-]{36}$/);
    assert.equal(res.headers['x-request-id'], e.request_id, 'the REST response names its audit record');
  });

  it('records an allowed call with the deciding rule and the engine detail', async () => {
    const rule = await mc.request('POST', '/v1/policy/rules', {
      token: mc.adminToken,
      body: {
        name: 'alice writes notes',
        priority: 10,
        effect: 'allow',
        usernames: ['alice'],
        resources: ['transit/notes/**'],
        actions: ['write'],
      },
    });
    assert.equal(rule.status, 200, rule.body);
    const res = await mc.request('POST', '/v1/echo', { token: alice, body: { id: 'notes', text: 'k', tags: [secret] } });
    assert.equal(res.status, 200, res.body);
    const [e] = (await events('?caller=alice&result=allow&limit=1')).events;
    assert.ok(e);
    assert.equal(e.reason, 'allowed by policy rule "alice writes notes"');
    assert.deepEqual(e.detail, { key: 'k', policy_action: 'write' });
  });

  it('takes the mount from the request and records admin calls over gRPC too', async () => {
    const grpc = grpcClients(mc.grpcUrl, mc.caCert);
    try {
      await grpc.client(MountService).createMount({ name: 'more', type: 'transit' }, bearer(mc.adminToken));
    } finally {
      grpc.close();
    }
    const [e] = (await events('?action=/metacrypt.v1.MountService/CreateMount&limit=1')).events;
    assert.ok(e);
    assert.deepEqual([e.caller, e.mount, e.result, e.is_admin], ['admin', 'more', 'allow', true]);
  });

  it('records REST requests refused before any handler', async () => {
    const unauthenticated = await mc.request('GET', '/v1/mounts');
    assert.equal(unauthenticated.status, 401);
    const forbidden = await mc.request('POST', '/v1/mounts', { token: alice, body: {} });
    assert.equal(forbidden.status, 403);
    const list = (await events('?result=deny&limit=5')).events;
    const refused = list.filter((e) => e.action === 'GET /v1/mounts' || e.action === 'POST /v1/mounts');
    assert.deepEqual(
      refused.map((e) => [e.action, e.reason, e.caller]),
      [
        ['POST /v1/mounts', 'forbidden', ''],
        ['GET /v1/mounts', 'unauthenticated', ''],
      ],
    );
    assert.deepEqual(
      refused.map((e) => e.request_id),
      [forbidden.headers['x-request-id'], unauthenticated.headers['x-request-id']],
    );
    assert.match(refused[0]!.request_id, /^[0-9a-f-]{36}$/);
  });

  it('records gRPC calls refused by the access check', async () => {
    const grpc = grpcClients(mc.grpcUrl, mc.caCert);
    try {
      await assert.rejects(
        grpc.client(MountService).listMounts({}),
        (err) => ConnectError.from(err).code === Code.Unauthenticated,
      );
      await assert.rejects(
        grpc.client(MountService).createMount({ name: 'refused', type: 'transit' }, bearer(alice)),
        (err) => ConnectError.from(err).code === Code.PermissionDenied,
      );
    } finally {
      grpc.close();
    }
    const list = (await events('?result=deny&limit=5')).events;
    const refused = list.filter((e) => e.action.startsWith('/metacrypt.v1.MountService/'));
    assert.deepEqual(
      refused.map((e) => [e.action, e.reason, e.caller, e.mount]),
      [
        ['/metacrypt.v1.MountService/CreateMount', 'forbidden', 'alice', ''],
        ['/metacrypt.v1.MountService/ListMounts', 'unauthenticated', '', ''],
      ],
    );
    assert.match(refused[0]!.request_id, /^[0-9a-f-]{36}$/);
  });

  it('filters and pages, newest first; only admins may read it', async () => {
    const first = await events('?limit=2');
    assert.equal(first.events.length, 2);
    assert.ok(Number(first.events[0]!.id) > Number(first.events[1]!.id));
    const next = await events(`?limit=2&page_token=${first.next_page_token}`);
    assert.ok(Number(next.events[0]!.id) < Number(first.events[1]!.id));
    assert.equal((await mc.request('GET', '/v1/audit', { token: alice })).status, 403);
    assert.equal((await mc.request('GET', '/v1/audit?result=maybe', { token: mc.adminToken })).status, 400);
    assert.equal((await mc.request('GET', '/v1/audit?page_token=abc', { token: mc.adminToken })).status, 400);
  });

  it('never stores or logs request values: passwords, plaintext', async () => {
    const badPassword = `wrong-${secret}`;
    assert.equal(
      (await mc.request('POST', '/v1/auth/login', { body: { username: 'alice', password: badPassword } })).status,
      401,
    );
    assert.equal((await mc.request('POST', '/v1/init', { body: { password: badPassword } })).status, 412);
    await mc.request('POST', '/v1/seal', { token: mc.adminToken, body: {} });
    assert.equal((await mc.request('POST', '/v1/unseal', { body: { password: badPassword } })).status, 401);
    // the throttle's backoff (1 s) may still run; the restart below resets it
    await mc.restart();
    await mc.unseal();
    const db = new Database(mc.dbPath, { readonly: true });
    let rows: unknown[];
    try {
      rows = db.prepare('SELECT * FROM audit_events').all();
    } finally {
      db.close();
    }
    assert.ok(rows.length > 10);
    const table = JSON.stringify(rows);
    assert.ok(table.includes('/metacrypt.v1.SystemService/Unseal'));
    const log = readFileSync(mc.logPath, 'utf8');
    for (const needle of [secret, mc.password, alice]) {
      assert.equal(table.includes(needle), false, 'audit table leaks a request value');
      assert.equal(log.includes(needle), false, 'server log leaks a request value');
    }
  });
});
