// Password login against a real MCIAS: bad credentials vs lockout (one 401 body), the login
// policy (deny by tag, by service name, 403 vs 401, rule windows), the same answers over gRPC,
// the per-client rate limit, and the audit trail it all leaves (without secrets).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Code, ConnectError } from '@connectrpc/connect';
import { AuthService } from '@metacircular/proto/mcias/v1/auth_pb';
import { createTestClock, startTestMcias, type TestClock, type TestMcias } from '../src/testing.js';
import { grpcClients, type GrpcClients } from './grpc-client.js';

const minute = 60_000;

describe('login and login policy', () => {
  let m: TestMcias;
  let clock: TestClock;
  let grpc: GrpcClients;
  let adminToken: string;
  const secrets: string[] = [];

  before(async () => {
    clock = createTestClock();
    m = await startTestMcias({ now: clock.now, config: { lockout: { max_failures: 3, window: '10m', duration: '15m' } } });
    grpc = grpcClients(m.grpcUrl, m.caCert);
    adminToken = await m.adminToken();
    secrets.push(m.admin!.password, adminToken);
    await m.createAccount({ username: 'gus', password: 'guest-password-1', roles: ['guest'] });
    await m.createAccount({ username: 'carol', password: 'carol-password-1', roles: ['user'] });
    await m.createAccount({ username: 'dave', password: 'dave-password-12', roles: ['user'] });
    secrets.push('guest-password-1', 'carol-password-1', 'dave-password-12');
  });
  after(async () => {
    grpc?.close();
    await m?.cleanup();
  });

  const login = (body: object) => m.request('POST', '/v1/auth/login', { body });
  const addRule = async (rule: object) => {
    const res = await m.request('POST', '/v1/policy/rules', {
      token: adminToken,
      body: { enabled: true, priority: 10, ...rule },
    });
    assert.equal(res.status, 200, res.body);
    return res.json<{ id: string }>().id;
  };
  const deleteRule = async (id: string) =>
    assert.equal((await m.request('DELETE', `/v1/policy/rules/${id}`, { token: adminToken })).status, 204);

  it('answers an unknown user and a wrong password with the same 401 body', async () => {
    const unknown = await login({ username: 'nobody', password: 'whatever-password' });
    const wrong = await login({ username: 'carol', password: 'not-her-password' });
    assert.equal(unknown.status, 401);
    assert.equal(wrong.status, 401);
    assert.equal(unknown.body, wrong.body);
    assert.deepEqual(wrong.json(), { error: 'invalid credentials' });
    assert.equal((await login({ username: 'carol', password: '' })).status, 400);
  });

  it('locks an account after max_failures with the same 401 as a bad password, until the lock runs out', async () => {
    const badBody = (await login({ username: 'dave', password: 'wrong-password-0' })).body;
    await login({ username: 'dave', password: 'wrong-password-1' });
    await login({ username: 'dave', password: 'wrong-password-2' });
    const locked = await login({ username: 'dave', password: 'dave-password-12' });
    assert.equal(locked.status, 401);
    assert.equal(locked.body, badBody);
    clock.advance(15 * minute);
    const ok = await login({ username: 'dave', password: 'dave-password-12' });
    assert.equal(ok.status, 200, ok.body);
    const events = (await m.request('GET', '/v1/audit?event_type=login_fail&page_size=10', { token: adminToken })).json<{
      events: Array<{ details: { reason: string; username: string } }>;
    }>().events;
    assert.ok(events.some((e) => e.details.username === 'dave' && e.details.reason === 'locked'));
  });

  it('denies by tag with 403, while a wrong password with the same context stays 401', async () => {
    const id = await addRule({
      effect: 'deny',
      roles: ['guest', 'viewer'],
      account_types: ['human'],
      actions: ['auth:login'],
      required_tags: ['env:restricted'],
    });
    try {
      const denied = await login({
        username: 'gus',
        password: 'guest-password-1',
        service_name: 'wiki',
        tags: ['env:restricted', 'x'],
      });
      assert.equal(denied.status, 403);
      assert.deepEqual(denied.json(), { error: 'login denied by policy' });
      assert.equal(
        (await login({ username: 'gus', password: 'wrong-password!', service_name: 'wiki', tags: ['env:restricted'] })).status,
        401,
      );
      assert.equal(
        (await login({ username: 'gus', password: 'guest-password-1', service_name: 'wiki', tags: ['env:dev'] })).status,
        200,
      );
      assert.equal(
        (await login({ username: 'carol', password: 'carol-password-1', service_name: 'wiki', tags: ['env:restricted'] })).status,
        200,
      );
    } finally {
      await deleteRule(id);
    }
    assert.equal((await login({ username: 'gus', password: 'guest-password-1', tags: ['env:restricted'] })).status, 200);
  });

  it('denies by service name', async () => {
    const id = await addRule({
      effect: 'deny',
      roles: ['guest'],
      actions: ['auth:login'],
      service_names: ['meta-money-printer'],
    });
    try {
      assert.equal(
        (await login({ username: 'gus', password: 'guest-password-1', service_name: 'meta-money-printer' })).status,
        403,
      );
      assert.equal((await login({ username: 'gus', password: 'guest-password-1', service_name: 'wiki' })).status, 200);
    } finally {
      await deleteRule(id);
    }
  });

  it('ignores rules outside not_before / expires_at', async () => {
    const t = clock.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const future = await addRule({
      effect: 'deny',
      actions: ['auth:login'],
      service_names: ['later'],
      not_before: iso(t + 10 * minute),
    });
    const past = await addRule({
      effect: 'deny',
      actions: ['auth:login'],
      service_names: ['earlier'],
      expires_at: iso(t - minute),
    });
    try {
      assert.equal((await login({ username: 'carol', password: 'carol-password-1', service_name: 'later' })).status, 200);
      assert.equal((await login({ username: 'carol', password: 'carol-password-1', service_name: 'earlier' })).status, 200);
      clock.advance(10 * minute);
      assert.equal((await login({ username: 'carol', password: 'carol-password-1', service_name: 'later' })).status, 403);
      const disabled = await m.request('PATCH', `/v1/policy/rules/${future}`, {
        token: adminToken,
        body: { effect: 'deny', actions: ['auth:login'], service_names: ['later'], enabled: false, priority: 10 },
      });
      assert.equal(disabled.status, 200, disabled.body);
      assert.equal((await login({ username: 'carol', password: 'carol-password-1', service_name: 'later' })).status, 200);
    } finally {
      await deleteRule(future);
      await deleteRule(past);
    }
  });

  it('gives the same answers over gRPC as over REST', async () => {
    const auth = grpc.client(AuthService);
    const id = await addRule({ effect: 'deny', roles: ['guest'], actions: ['auth:login'], service_names: ['grpc-svc'] });
    try {
      const ok = await auth.login({ username: 'carol', password: 'carol-password-1', serviceName: 'grpc-svc' });
      assert.ok(ok.token.split('.').length === 3);
      assert.ok(ok.expiresAt);
      // The audit row of a gRPC login names the client's real address (the TCP peer).
      const audit = (await m.request('GET', '/v1/audit?event_type=login_ok&page_size=1', { token: adminToken })).json<{
        events: Array<{ ip_address: string; details: { service_name?: string } }>;
      }>();
      assert.equal(audit.events[0]?.details.service_name, 'grpc-svc');
      assert.equal(audit.events[0]?.ip_address, '127.0.0.1');
      const restOk = await login({ username: 'carol', password: 'carol-password-1', service_name: 'grpc-svc' });
      assert.equal(restOk.status, 200);
      const codeOf = async (p: Promise<unknown>) => {
        try {
          await p;
          return undefined;
        } catch (err) {
          return ConnectError.from(err);
        }
      };
      const bad = await codeOf(auth.login({ username: 'carol', password: 'wrong-password!!' }));
      assert.equal(bad?.code, Code.Unauthenticated);
      assert.equal(
        bad?.rawMessage,
        (await login({ username: 'carol', password: 'wrong-password!!' })).json<{ error: string }>().error,
      );
      const denied = await codeOf(auth.login({ username: 'gus', password: 'guest-password-1', serviceName: 'grpc-svc' }));
      assert.equal(denied?.code, Code.PermissionDenied);
      assert.equal((await login({ username: 'gus', password: 'guest-password-1', service_name: 'grpc-svc' })).status, 403);
    } finally {
      await deleteRule(id);
    }
  });

  it('built-in rules are listed with negative ids and cannot be changed or deleted', async () => {
    const list = (await m.request('GET', '/v1/policy/rules', { token: adminToken })).json<{
      rules: Array<{ id: string; builtin: boolean }>;
    }>();
    assert.ok(list.rules.some((r) => r.id === '-1' && r.builtin));
    assert.equal((await m.request('GET', '/v1/policy/rules/-2', { token: adminToken })).status, 200);
    assert.equal((await m.request('DELETE', '/v1/policy/rules/-1', { token: adminToken })).status, 412);
    assert.equal((await m.request('PATCH', '/v1/policy/rules/-1', { token: adminToken, body: { effect: 'deny' } })).status, 412);
    const carol = await m.login('carol', 'carol-password-1');
    assert.equal((await m.request('GET', '/v1/policy/rules', { token: carol })).status, 403);
    const bad = await m.request('POST', '/v1/policy/rules', { token: adminToken, body: { effect: 'maybe' } });
    assert.equal(bad.status, 400);
  });

  it('an operator rule can delegate an admin API to a non-admin (RequirePolicy)', async () => {
    const carol = await m.login('carol', 'carol-password-1');
    assert.equal((await m.request('GET', '/v1/accounts', { token: carol })).status, 403);
    const carolId = m.server.core.stores.accounts.byUsername('carol')!.uuid;
    const id = await addRule({ effect: 'allow', subject_uuid: carolId, actions: ['accounts:list'] });
    try {
      assert.equal((await m.request('GET', '/v1/accounts', { token: carol })).status, 200);
      assert.equal((await m.request('GET', '/v1/audit', { token: carol })).status, 403);
    } finally {
      await deleteRule(id);
    }
    assert.equal((await m.request('GET', '/v1/accounts', { token: carol })).status, 403);
  });

  it('rate-limits logins per client (429) with a frozen clock', async () => {
    const limited = await startTestMcias({
      now: createTestClock().now,
      rateLimits: { login: { perSecond: 1, burst: 2 } },
      admin: false,
    });
    try {
      const body = { username: 'nobody', password: 'whatever-password' };
      assert.equal((await limited.request('POST', '/v1/auth/login', { body })).status, 401);
      assert.equal((await limited.request('POST', '/v1/auth/login', { body })).status, 401);
      const third = await limited.request('POST', '/v1/auth/login', { body });
      assert.equal(third.status, 429);
    } finally {
      await limited.cleanup();
    }
  });

  it('never writes a password or a token to the audit log or the server log', async () => {
    const audit = (await m.request('GET', '/v1/audit?page_size=500', { token: adminToken })).body;
    assert.ok(audit.includes('login_denied_policy'));
    const log = await readFile(m.logPath, 'utf8');
    assert.ok(log.length > 0);
    for (const s of [...secrets, 'wrong-password-1', 'not-her-password']) {
      assert.ok(!audit.includes(s), `audit contains ${s.slice(0, 4)}...`);
      assert.ok(!log.includes(s), `log contains ${s.slice(0, 4)}...`);
    }
  });
});
