// mcdsl's Authenticator (the client every service uses) against the real MCIAS: login with the
// service's context, cached validation that honours revocation once its TTL has passed (frozen
// clock, no sleeps), policy denial vs bad credentials, renew and logout.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Authenticator, type McError } from '@metacircular/mcdsl';
import { createTestClock, startTestMcias, type TestClock, type TestMcias } from '../src/testing.js';

describe('mcdsl Authenticator against MCIAS', () => {
  let m: TestMcias;
  let clientClock: TestClock;
  let auth: Authenticator;
  let adminToken: string;

  before(async () => {
    m = await startTestMcias();
    adminToken = await m.adminToken();
    await m.createAccount({ username: 'jay', password: 'jay-password-123', roles: ['user'] });
    await m.createAccount({ username: 'kim', password: 'kim-password-123', roles: ['guest'] });
    clientClock = createTestClock();
    auth = new Authenticator(
      { serverUrl: m.restUrl, caCert: m.caCert, serviceName: 'wiki', tags: ['env:restricted'] },
      { now: clientClock.now },
    );
    const rule = await m.request('POST', '/v1/policy/rules', {
      token: adminToken,
      body: {
        effect: 'deny',
        roles: ['guest'],
        actions: ['auth:login'],
        required_tags: ['env:restricted'],
        enabled: true,
        priority: 1,
      },
    });
    assert.equal(rule.status, 200, rule.body);
  });
  after(async () => {
    auth?.close();
    await m?.cleanup();
  });

  const codeOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return undefined;
    } catch (err) {
      return (err as McError).code;
    }
  };

  it('logs in and validates', async () => {
    const { token, expiresAt } = await auth.login('jay', 'jay-password-123');
    assert.ok(expiresAt.getTime() > Date.now());
    const caller = await auth.validate(token);
    assert.equal(caller.username, 'jay');
    assert.deepEqual(caller.roles, ['user']);
    assert.equal(caller.accountType, 'human');
    assert.equal(caller.isAdmin, false);
  });

  it('tells bad credentials from a policy denial', async () => {
    assert.equal(await codeOf(auth.login('jay', 'wrong-password-1')), 'ERR_INVALID_CREDENTIALS');
    assert.equal(await codeOf(auth.login('kim', 'kim-password-123')), 'ERR_LOGIN_DENIED');
  });

  it('honours a revocation once its cache entry has expired', async () => {
    const { token } = await auth.login('jay', 'jay-password-123');
    const caller = await auth.validate(token);
    const jti = (await m.request('POST', '/v1/token/validate', { token })).json<{ jti: string }>().jti;
    assert.equal((await m.request('DELETE', `/v1/token/${jti}`, { token: adminToken })).status, 204);
    assert.deepEqual(await auth.validate(token), caller, 'still cached');
    clientClock.advance(30_000);
    assert.equal(await codeOf(auth.validate(token)), 'ERR_INVALID_TOKEN');
  });

  it('renews and logs out', async () => {
    const { token } = await auth.login('jay', 'jay-password-123');
    const renewed = await auth.renew(token);
    assert.notEqual(renewed.token, token);
    assert.equal(await codeOf(auth.validate(token)), 'ERR_INVALID_TOKEN');
    assert.equal((await auth.validate(renewed.token)).username, 'jay');
    await auth.logout(renewed.token);
    assert.equal(await codeOf(auth.validate(renewed.token)), 'ERR_INVALID_TOKEN');
  });
});
