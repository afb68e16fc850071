// Authentication through MCIAS: login is forwarded with service_name "metacrypt" (so MCIAS's
// login policy applies: 401 bad credentials, 403 denied by policy), tokeninfo says who MCIAS
// says the caller is, logout revokes the token at MCIAS at once. Init is refused from a
// non-loopback peer without an admin token (unit-checked on the peer address rule).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopback } from '../src/grpc/index.js';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';

describe('auth', () => {
  let mc: TestMetacrypt;
  const login = (body: object) => mc.request('POST', '/v1/auth/login', { body });

  before(async () => {
    mc = await startTestMetacrypt();
    await mc.mcias.createAccount({ username: 'carol', password: 'carol-password-12', roles: ['user'] });
    await mc.mcias.createAccount({ username: 'vic', password: 'vic-password-1234', roles: ['viewer'] });
    const rule = await mc.mcias.request('POST', '/v1/policy/rules', {
      token: await mc.mcias.adminToken(),
      body: {
        enabled: true,
        priority: 10,
        effect: 'deny',
        roles: ['viewer'],
        actions: ['auth:login'],
        service_names: ['metacrypt'],
      },
    });
    assert.equal(rule.status, 200, rule.body);
  });
  after(() => mc?.stop());

  it('logs in through MCIAS and reports the token holder', async () => {
    const res = await login({ username: 'carol', password: 'carol-password-12' });
    assert.equal(res.status, 200, res.body);
    const { token, expires_at } = res.json<{ token: string; expires_at: string }>();
    assert.ok(Date.parse(expires_at) > Date.now());
    const info = await mc.request('GET', '/v1/auth/tokeninfo', { token });
    assert.deepEqual(info.json(), { username: 'carol', roles: ['user'], is_admin: false, account_type: 'human' });
    const admin = await mc.request('GET', '/v1/auth/tokeninfo', { token: mc.adminToken });
    assert.equal(admin.json<{ is_admin: boolean }>().is_admin, true);
  });

  it('answers bad credentials with 401 and a login denied by MCIAS policy with 403', async () => {
    const bad = await login({ username: 'carol', password: 'not-her-password' });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.json(), { error: 'invalid credentials' });
    const denied = await login({ username: 'vic', password: 'vic-password-1234' });
    assert.equal(denied.status, 403, denied.body);
    assert.deepEqual(denied.json(), { error: 'login denied by policy' });
    assert.equal((await login({ username: 'carol' })).status, 400);
    assert.equal((await login({ username: 'carol', password: 'x', role: 'admin' })).status, 400);
  });

  it('logout revokes the token at once', async () => {
    const token = (await login({ username: 'carol', password: 'carol-password-12' })).json<{ token: string }>().token;
    assert.equal((await mc.request('GET', '/v1/auth/tokeninfo', { token })).status, 200);
    const out = await mc.request('POST', '/v1/auth/logout', { token, body: {} });
    assert.equal(out.status, 204, out.body);
    assert.equal((await mc.request('GET', '/v1/auth/tokeninfo', { token })).status, 401);
    assert.equal((await mc.request('POST', '/v1/auth/logout', { body: {} })).status, 401);
  });

  it('counts only this machine as loopback for init', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(a), true, a);
    for (const a of ['10.0.0.1', '::ffff:10.0.0.1', '100.95.252.120', 'fe80::1', '', undefined, 'localhost', '128.0.0.1']) {
      assert.equal(isLoopback(a), false, String(a));
    }
  });
});
