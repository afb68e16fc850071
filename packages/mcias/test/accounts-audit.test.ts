// Account, role and tag management against a real MCIAS, the guards that hold whatever the
// policy says (admin role, last admin), and the audit log those changes leave, with its filters
// and keyset paging; GetAccount over gRPC matches REST.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccountService } from '@metacircular/proto/mcias/v1/account_pb';
import { startTestMcias, type TestMcias } from '../src/testing.js';
import { bearer, grpcClients } from './grpc-client.js';

interface AccountJSON {
  id: string;
  username: string;
  account_type: string;
  status: string;
  roles: string[];
  tags: string[];
  deleted_at?: string;
}

describe('accounts, roles, tags and audit', () => {
  let m: TestMcias;
  let admin: string;
  let leoId: string;

  before(async () => {
    m = await startTestMcias();
    admin = await m.adminToken();
  });
  after(() => m?.cleanup());

  const req = (method: string, path: string, body?: object, token = admin) =>
    m.request(method, path, { token, ...(body ? { body } : {}) });

  it('creates accounts, validating every field, and refuses duplicates', async () => {
    const created = await req('POST', '/v1/accounts', {
      username: 'leo',
      account_type: 'human',
      password: 'leo-password-123',
      roles: ['user', 'viewer'],
      tags: ['team:ops'],
    });
    assert.equal(created.status, 200, created.body);
    const leo = created.json<AccountJSON>();
    leoId = leo.id;
    assert.deepEqual(
      [leo.username, leo.account_type, leo.status, leo.roles, leo.tags],
      ['leo', 'human', 'active', ['user', 'viewer'], ['team:ops']],
    );
    assert.ok(!('password' in leo) && !created.body.includes('argon2'));
    const bad = [
      { username: 'Leo2', account_type: 'human', password: 'leo-password-123' },
      { username: 'leo2', account_type: 'robot', password: 'leo-password-123' },
      { username: 'leo2', account_type: 'human', password: 'short' },
      { username: 'leo2', account_type: 'system', password: 'no-passwords-here' },
      { username: 'leo2', account_type: 'human', password: 'leo-password-123', roles: ['service'] },
      { username: 'leo2', account_type: 'human', password: 'leo-password-123', tags: ['Bad Tag'] },
    ];
    for (const body of bad) assert.equal((await req('POST', '/v1/accounts', body)).status, 400, JSON.stringify(body));
    assert.equal((await req('POST', '/v1/accounts', { username: 'leo', account_type: 'system' })).status, 409);
    assert.equal((await req('GET', `/v1/accounts/${leoId}`)).json<AccountJSON>().username, 'leo');
    assert.equal((await req('GET', '/v1/accounts/00000000-0000-0000-0000-000000000000')).status, 404);
  });

  it('manages roles and tags (grant and revoke are idempotent)', async () => {
    assert.deepEqual((await req('PUT', `/v1/accounts/${leoId}/roles`, { roles: ['editor'] })).json(), { roles: ['editor'] });
    assert.equal((await req('POST', `/v1/accounts/${leoId}/roles`, { role: 'viewer' })).status, 204);
    assert.equal((await req('POST', `/v1/accounts/${leoId}/roles`, { role: 'viewer' })).status, 204);
    assert.equal((await req('DELETE', `/v1/accounts/${leoId}/roles/editor`)).status, 204);
    assert.equal((await req('DELETE', `/v1/accounts/${leoId}/roles/editor`)).status, 204);
    assert.deepEqual((await req('GET', `/v1/accounts/${leoId}/roles`)).json(), { roles: ['viewer'] });
    assert.equal((await req('POST', `/v1/accounts/${leoId}/roles`, { role: 'root' })).status, 400);
    assert.deepEqual((await req('PUT', `/v1/accounts/${leoId}/tags`, { tags: ['env:restricted', 'team:ops'] })).json(), {
      tags: ['env:restricted', 'team:ops'],
    });
    assert.deepEqual((await req('GET', `/v1/accounts/${leoId}/tags`)).json(), { tags: ['env:restricted', 'team:ops'] });
  });

  it('keeps the admin role for admins to give, and the last admin an admin', async () => {
    const leo = await m.login('leo', 'leo-password-123');
    assert.equal((await req('POST', `/v1/accounts/${leoId}/roles`, { role: 'user' }, leo)).status, 403);
    // Delegate roles:write to leo: ordinary roles now work for him, the admin role still does not.
    const rule = await req('POST', '/v1/policy/rules', {
      effect: 'allow',
      subject_uuid: leoId,
      actions: ['roles:write'],
      enabled: true,
    });
    assert.equal(rule.status, 200, rule.body);
    assert.equal((await req('POST', `/v1/accounts/${leoId}/roles`, { role: 'user' }, leo)).status, 204);
    const escalate = await req('POST', `/v1/accounts/${leoId}/roles`, { role: 'admin' }, leo);
    assert.equal(escalate.status, 403);
    assert.deepEqual(escalate.json(), { error: 'only an admin can grant or revoke the admin role' });
    assert.equal((await req('PUT', `/v1/accounts/${leoId}/roles`, { roles: ['admin'] }, leo)).status, 403);
    assert.equal((await req('DELETE', `/v1/policy/rules/${rule.json<{ id: string }>().id}`)).status, 204);
    const adminId = m.admin!.id;
    assert.equal((await req('DELETE', `/v1/accounts/${adminId}/roles/admin`)).status, 412);
    assert.equal((await req('DELETE', `/v1/accounts/${adminId}`)).status, 412);
    assert.equal((await req('PATCH', `/v1/accounts/${adminId}`, { status: 'inactive' })).status, 412);
    assert.equal((await req('PATCH', `/v1/accounts/${leoId}`, { status: 'deleted' })).status, 400);
  });

  it('soft-deletes: the account stays listable on request, its name stays taken', async () => {
    const mia = await m.createAccount({ username: 'mia', password: 'mia-password-123' });
    assert.equal((await req('DELETE', `/v1/accounts/${mia}`)).status, 204);
    const listed = (await req('GET', '/v1/accounts')).json<{ accounts: AccountJSON[] }>().accounts.map((a) => a.username);
    assert.ok(!listed.includes('mia'));
    const all = (await req('GET', '/v1/accounts?include_deleted=true')).json<{ accounts: AccountJSON[] }>().accounts;
    const gone = all.find((a) => a.username === 'mia');
    assert.equal(gone?.status, 'deleted');
    assert.ok(gone?.deleted_at);
    assert.equal((await req('DELETE', `/v1/accounts/${mia}`)).status, 412);
    assert.equal((await req('POST', '/v1/accounts', { username: 'mia', account_type: 'system' })).status, 409);
  });

  it('answers GetAccount the same over gRPC', async () => {
    const grpc = grpcClients(m.grpcUrl, m.caCert);
    try {
      const viaGrpc = await grpc.client(AccountService).getAccount({ id: leoId }, bearer(admin));
      const viaRest = (await req('GET', `/v1/accounts/${leoId}`)).json<AccountJSON>();
      assert.deepEqual(
        [viaGrpc.id, viaGrpc.username, viaGrpc.accountType, viaGrpc.status, viaGrpc.roles, viaGrpc.tags],
        [viaRest.id, viaRest.username, viaRest.account_type, viaRest.status, viaRest.roles, viaRest.tags],
      );
    } finally {
      grpc.close();
    }
  });

  it('records every change in the audit log, filtered and paged newest first', async () => {
    type Page = {
      events: Array<{ id: string; event_type: string; target_username: string; actor_username: string; details: object }>;
      next_page_token: string;
    };
    const byTarget = (await req('GET', `/v1/audit?target_id=${leoId}&page_size=500`)).json<Page>().events;
    const types = byTarget.map((e) => e.event_type);
    for (const t of ['account_created', 'roles_changed', 'role_granted', 'role_revoked', 'tags_changed'])
      assert.ok(types.includes(t), t);
    assert.ok(byTarget.every((e) => e.target_username === 'leo'));
    assert.ok(
      byTarget
        .filter((e) => e.event_type !== 'login_ok' && e.event_type !== 'token_issued')
        .every((e) => ['admin', 'leo'].includes(e.actor_username)),
    );
    const ids = byTarget.map((e) => Number(e.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
    );

    const all = (await req('GET', '/v1/audit?page_size=500')).json<Page>().events.map((e) => e.id);
    const paged: string[] = [];
    let token = '';
    for (let i = 0; i < 100; i++) {
      const page = (await req('GET', `/v1/audit?page_size=3${token ? `&page_token=${token}` : ''}`)).json<Page>();
      paged.push(...page.events.map((e) => e.id));
      if (!page.next_page_token) break;
      token = page.next_page_token;
    }
    assert.deepEqual(paged, all);
    const created = (await req('GET', '/v1/audit?event_type=account_created')).json<Page>().events;
    assert.ok(created.length >= 2 && created.every((e) => e.event_type === 'account_created'));
    const future = (await req('GET', `/v1/audit?since=${new Date(Date.now() + 3_600_000).toISOString()}`)).json<Page>().events;
    assert.deepEqual(future, []);
    assert.equal((await req('GET', '/v1/audit?page_token=abc')).status, 400);
    const leo = await m.login('leo', 'leo-password-123');
    assert.equal((await req('GET', '/v1/audit', undefined, leo)).status, 403);
  });
});
