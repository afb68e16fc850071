// The seal state machine over the real API: uninitialized -> init (password rules, 412 the
// second time, leaves it unsealed) -> seal (admin only) -> unseal (wrong password 401 and
// throttled with 429, right password works once the backoff has passed) -> a restart comes
// back sealed. The throttle's clock is frozen so the backoff is exact, not timed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';

describe('seal state machine', () => {
  let mc: TestMetacrypt;
  let clock = Date.parse('2030-01-01T00:00:00Z');
  const state = async () => (await mc.request('GET', '/v1/status')).json<{ state: string; version: string }>();

  before(async () => {
    mc = await startTestMetacrypt({ sealed: true, unsealThrottle: { now: () => clock } });
  });
  after(() => mc?.stop());

  it('starts uninitialized; engine and mount calls answer 503, unseal 412', async () => {
    const s = await state();
    assert.equal(s.state, 'uninitialized');
    assert.match(s.version, /^\d+\.\d+\.\d+/);
    assert.equal((await mc.request('GET', '/v1/mounts', { token: mc.adminToken })).status, 503);
    const unseal = await mc.request('POST', '/v1/unseal', { body: { password: mc.password } });
    assert.equal(unseal.status, 412, unseal.body);
  });

  it('refuses a short password and changes nothing', async () => {
    const res = await mc.request('POST', '/v1/init', { body: { password: 'short-pw' } });
    assert.equal(res.status, 400);
    assert.match(res.json<{ error: string }>().error, /password must be 12/);
    assert.equal((await state()).state, 'uninitialized');
  });

  it('refuses unknown fields and wrong types with 400 and changes nothing', async () => {
    for (const body of [{ password: mc.password, extra: 1 }, { password: 123 }, ['x']]) {
      const res = await mc.request('POST', '/v1/init', { body });
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.body}`);
    }
    assert.equal((await state()).state, 'uninitialized');
  });

  it('refuses an oversized body with 413 and changes nothing', async () => {
    const res = await mc.request('POST', '/v1/init', { body: { password: 'x'.repeat(2 * 1024 * 1024) } });
    assert.equal(res.status, 413);
    assert.equal((await state()).state, 'uninitialized');
  });

  it('does not count a forwarded call (the web UI, a proxy) as local: init then needs an admin token', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.7' };
    const anonymous = await mc.request('POST', '/v1/init', { body: { password: mc.password }, headers });
    assert.equal(anonymous.status, 401, anonymous.body);
    const user = await mc.token('init-user', { roles: ['user'] });
    const nonAdmin = await mc.request('POST', '/v1/init', { body: { password: mc.password }, headers, token: user });
    assert.equal(nonAdmin.status, 403, nonAdmin.body);
    assert.equal((await state()).state, 'uninitialized');
  });

  it('init leaves it unsealed; a second init is 412', async () => {
    const res = await mc.request('POST', '/v1/init', { body: { password: mc.password } });
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(res.json(), { state: 'unsealed' });
    assert.equal((await state()).state, 'unsealed');
    const again = await mc.request('POST', '/v1/init', { body: { password: mc.password } });
    assert.equal(again.status, 412);
    const unseal = await mc.request('POST', '/v1/unseal', { body: { password: mc.password } });
    assert.equal(unseal.status, 412, 'unseal works only while sealed');
  });

  it('seal needs an admin', async () => {
    assert.equal((await mc.request('POST', '/v1/seal', { body: {} })).status, 401);
    const user = await mc.token('sam', { roles: ['user'] });
    assert.equal((await mc.request('POST', '/v1/seal', { token: user, body: {} })).status, 403);
    assert.equal((await state()).state, 'unsealed');
    const res = await mc.request('POST', '/v1/seal', { token: mc.adminToken, body: {} });
    assert.equal(res.status, 200, res.body);
    assert.equal((await state()).state, 'sealed');
    assert.equal((await mc.request('GET', '/v1/mounts', { token: mc.adminToken })).status, 503);
  });

  it('refuses a wrong password (401), then throttles (429) even the right one until the backoff passes', async () => {
    const wrong = await mc.request('POST', '/v1/unseal', { body: { password: 'not-the-password' } });
    assert.equal(wrong.status, 401, wrong.body);
    const soon = await mc.request('POST', '/v1/unseal', { body: { password: mc.password } });
    assert.equal(soon.status, 429, soon.body);
    assert.match(soon.json<{ error: string }>().error, /too many failed unseal attempts/);
    assert.equal((await state()).state, 'sealed');

    clock += 1_000;
    assert.equal((await mc.request('POST', '/v1/unseal', { body: { password: 'wrong-again-1' } })).status, 401);
    clock += 1_000;
    assert.equal((await mc.request('POST', '/v1/unseal', { body: { password: mc.password } })).status, 429, 'backoff doubled');
    clock += 1_000;
    assert.equal((await mc.request('POST', '/v1/unseal', { body: { password: mc.password } })).status, 200);
    assert.equal((await state()).state, 'unsealed');
  });

  it('comes back sealed after a restart and keeps the password', async () => {
    await mc.restart();
    assert.equal((await state()).state, 'sealed');
    await mc.unseal();
    assert.equal((await state()).state, 'unsealed');
  });
});
