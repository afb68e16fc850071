// TOTP as a second factor (with oathtool as the authenticator nobody here wrote) and password
// changes, against a real MCIAS with a frozen clock.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { interopTool } from '@metacircular/mcdsl/testing';
import { totpCodeAt } from '../src/totp/index.js';
import { createTestClock, startTestMcias, type TestClock, type TestMcias } from '../src/testing.js';

describe('totp and passwords', () => {
  let m: TestMcias;
  let clock: TestClock;
  let adminToken: string;
  let ericId: string;

  before(async () => {
    clock = createTestClock(Date.UTC(2026, 0, 2, 3, 4, 5));
    m = await startTestMcias({ now: clock.now });
    adminToken = await m.adminToken();
    ericId = await m.createAccount({ username: 'eric', password: 'eric-password-12' });
  });
  after(() => m?.cleanup());

  const login = (body: object) => m.request('POST', '/v1/auth/login', { body });
  const oathtool = (secret: string, at: number): string | undefined => {
    const tool = interopTool('oathtool');
    if (tool.path === undefined) return undefined;
    const when = new Date(at)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC');
    return execFileSync(tool.path, ['--totp', '-b', secret, '--now', when], { encoding: 'utf8' }).trim();
  };

  it('enrols (password required), confirms, then requires a code at login; codes are single-use', async (t) => {
    const token = await m.login('eric', 'eric-password-12');
    const noPassword = await m.request('POST', '/v1/auth/totp/enroll', { token, body: { password: 'wrong-password-x' } });
    assert.equal(noPassword.status, 401);
    const enrolled = await m.request('POST', '/v1/auth/totp/enroll', { token, body: { password: 'eric-password-12' } });
    assert.equal(enrolled.status, 200, enrolled.body);
    const { secret, otpauth_uri } = enrolled.json<{ secret: string; otpauth_uri: string }>();
    assert.match(otpauth_uri, /^otpauth:\/\/totp\/MCIAS:eric\?/);
    assert.equal((await m.request('POST', '/v1/auth/totp/confirm', { token, body: { code: '000000' } })).status, 400);

    const external = oathtool(secret, clock.now());
    if (external === undefined) t.diagnostic('oathtool missing: codes computed in-process only');
    const code = external ?? totpCodeAt(secret, clock.now());
    assert.equal(code, totpCodeAt(secret, clock.now()));
    assert.equal((await m.request('POST', '/v1/auth/totp/confirm', { token, body: { code } })).status, 204);
    assert.equal(
      (await m.request('GET', `/v1/accounts/${ericId}`, { token: adminToken })).json<{ totp_required: boolean }>().totp_required,
      true,
    );

    const missing = await login({ username: 'eric', password: 'eric-password-12' });
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.json(), { error: 'totp code required' });
    // The confirming code's step is spent: the same code is a replay.
    assert.equal((await login({ username: 'eric', password: 'eric-password-12', totp_code: code })).status, 401);
    clock.advance(30_000);
    const next = oathtool(secret, clock.now()) ?? totpCodeAt(secret, clock.now());
    assert.equal((await login({ username: 'eric', password: 'eric-password-12', totp_code: next })).status, 200);
    assert.equal((await login({ username: 'eric', password: 'eric-password-12', totp_code: next })).status, 401, 'reused code');
    clock.advance(30_000);
    const wrong = String((Number(totpCodeAt(secret, clock.now())) + 1) % 1_000_000).padStart(6, '0');
    const bad = await login({ username: 'eric', password: 'eric-password-12', totp_code: wrong });
    assert.deepEqual(bad.json(), { error: 'invalid credentials' });
    assert.equal(
      (await m.request('POST', '/v1/auth/totp/enroll', { token, body: { password: 'eric-password-12' } })).status,
      409,
    );
  });

  it('only an admin removes TOTP', async () => {
    const token = await m.request('POST', '/v1/auth/login', {
      body: { username: 'eric', password: 'eric-password-12', totp_code: '' },
    });
    assert.equal(token.status, 401);
    const self = await m.createAccount({ username: 'fay', password: 'fay-password-123' });
    const fay = await m.login('fay', 'fay-password-123');
    assert.equal((await m.request('DELETE', `/v1/accounts/${self}/totp`, { token: fay })).status, 403);
    assert.equal((await m.request('DELETE', `/v1/accounts/${ericId}/totp`, { token: adminToken })).status, 204);
    assert.equal((await login({ username: 'eric', password: 'eric-password-12' })).status, 200);
  });

  it("a password change keeps the caller's token and revokes the others; an admin reset revokes all", async () => {
    const keep = await m.login('eric', 'eric-password-12');
    const other = await m.login('eric', 'eric-password-12');
    const valid = async (token: string) =>
      (await m.request('POST', '/v1/token/validate', { body: { token } })).json<{ valid: boolean }>().valid;
    assert.equal(
      (
        await m.request('PUT', '/v1/auth/password', {
          token: keep,
          body: { current_password: 'x-wrong-password', new_password: 'eric-password-new' },
        })
      ).status,
      401,
    );
    assert.equal(
      (
        await m.request('PUT', '/v1/auth/password', {
          token: keep,
          body: { current_password: 'eric-password-12', new_password: 'short' },
        })
      ).status,
      400,
    );
    const changed = await m.request('PUT', '/v1/auth/password', {
      token: keep,
      body: { current_password: 'eric-password-12', new_password: 'eric-password-new' },
    });
    assert.equal(changed.status, 204, changed.body);
    assert.equal(await valid(keep), true);
    assert.equal(await valid(other), false);
    assert.equal((await login({ username: 'eric', password: 'eric-password-12' })).status, 401);
    const reset = await m.request('PUT', `/v1/accounts/${ericId}/password`, {
      token: adminToken,
      body: { new_password: 'eric-password-reset' },
    });
    assert.equal(reset.status, 204, reset.body);
    assert.equal(await valid(keep), false);
    assert.equal((await login({ username: 'eric', password: 'eric-password-reset' })).status, 200);
  });
});
