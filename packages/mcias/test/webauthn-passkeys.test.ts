// Passkeys with a real authenticator: headless Chromium with a CDP virtual authenticator (CTAP2,
// resident keys, user verification) on the test MCIAS's own origin, calling the REST API with
// fetch and navigator.credentials as a browser page does. Registration, passwordless and
// second-factor login, challenge binding, clone detection, policy, lockout, removal, and what
// reaches the disk and the logs. Skips without chromium unless MC_REQUIRE_INTEROP=1.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { interopTool } from '@metacircular/mcdsl/testing';
import { startTestMcias, type TestMcias } from '../src/testing.js';
import { totpCodeAt } from '../src/totp/index.js';
import { launchPasskeyBrowser, type ApiResult, type PasskeyBrowser, type PasskeyPage } from './webauthn-browser.js';

interface Begun {
  challenge_id: string;
  options: Record<string, unknown> & { allowCredentials?: Array<{ id: string }> };
}
interface Registered {
  view: Record<string, unknown>;
  credential: Record<string, unknown> & { id: string; response: { publicKey: string } };
}

const alicePassword = 'alice-password-12';
const bobPassword = 'bob-password-1234';

describe('passkeys in headless Chromium', () => {
  const tool = interopTool('chromium');
  let m: TestMcias;
  let browser: PasskeyBrowser;
  let pageA: PasskeyPage; // alice's authenticator
  let pageB: PasskeyPage; // bob's authenticator
  let aliceId: string;
  let bobId: string;
  let aliceToken: string;
  let alice: Registered;
  let bob: Registered;
  const seenIds: string[] = [];

  before(async () => {
    if (tool.skip) return;
    m = await startTestMcias({ config: { webauthn: { rp_id: 'localhost' } } });
    aliceId = await m.createAccount({ username: 'alice', password: alicePassword });
    bobId = await m.createAccount({ username: 'bob', password: bobPassword });
    aliceToken = await m.login('alice', alicePassword);
    browser = await launchPasskeyBrowser({
      executablePath: tool.path!,
      certPem: m.pki.cert,
      origin: `https://localhost:${m.server.rest.port}`,
    });
    pageA = await browser.newPage();
    pageB = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await m?.cleanup();
  });

  const register = async (p: PasskeyPage, token: string, password: string, name: string): Promise<Registered> => {
    const begin = await p.api('POST', '/v1/auth/webauthn/register/begin', { token, body: { password } });
    assert.equal(begin.status, 200, JSON.stringify(begin.body));
    const { challenge_id, options } = begin.body as unknown as Begun;
    const credential = (await p.create(options)) as Registered['credential'];
    const finish = await p.api('POST', '/v1/auth/webauthn/register/finish', { token, body: { challenge_id, credential, name } });
    assert.equal(finish.status, 200, JSON.stringify(finish.body));
    seenIds.push(credential.id);
    return { view: finish.body, credential };
  };

  /** passkeyLogin runs one login ceremony; `sign` may change the options the authenticator sees. */
  const passkeyLogin = async (
    p: PasskeyPage,
    opts: {
      username?: string;
      password?: string;
      service_name?: string;
      sign?: (o: Begun['options']) => Begun['options'];
    } = {},
  ): Promise<ApiResult & { finishBody: Record<string, unknown> }> => {
    const begin = await p.api('POST', '/v1/auth/webauthn/login/begin', { body: { username: opts.username ?? '' } });
    assert.equal(begin.status, 200, JSON.stringify(begin.body));
    const { challenge_id, options } = begin.body as unknown as Begun;
    const credential = await p.get(opts.sign ? opts.sign(options) : options);
    const finishBody = {
      challenge_id,
      credential,
      service_name: opts.service_name ?? 'test-service',
      ...(opts.password !== undefined ? { password: opts.password } : {}),
    };
    return { ...(await p.api('POST', '/v1/auth/webauthn/login/finish', { body: finishBody })), finishBody };
  };

  const lastAudit = (eventType: string) => m.server.core.audit.list({ eventType, limit: 1 })[0];

  it('registers a passkey after re-authentication, and lists it without credential material', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    const wrong = await pageA.api('POST', '/v1/auth/webauthn/register/begin', {
      token: aliceToken,
      body: { password: 'not-alices-password' },
    });
    assert.equal(wrong.status, 401);

    alice = await register(pageA, aliceToken, alicePassword, 'laptop');
    assert.match(alice.view['id'] as string, /^[0-9a-f-]{36}$/);
    assert.equal(alice.view['name'], 'laptop');
    assert.equal(alice.view['discoverable'], true, 'credProps.rk from the authenticator');
    assert.ok(alice.view['created_at']);
    const [stored] = await pageA.credentials();
    assert.ok(stored?.isResidentCredential);
    assert.equal(Buffer.from(stored.credentialId, 'base64').toString('base64url'), alice.credential.id);

    const list = await pageA.api('GET', `/v1/accounts/${aliceId}/webauthn`, { token: aliceToken });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, { credentials: [alice.view] });
    assert.ok(!JSON.stringify(list.body).includes(alice.credential.id));
    assert.ok(!JSON.stringify(alice.view).includes(alice.credential.id));
    assert.equal(lastAudit('webauthn_registered')?.details['credential'], alice.view['id']);
  });

  it("excludes the account's passkeys when it enrols again (the authenticator refuses a second one)", async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    const begin = await pageA.api('POST', '/v1/auth/webauthn/register/begin', {
      token: aliceToken,
      body: { password: alicePassword },
    });
    const { options } = begin.body as unknown as Begun;
    assert.deepEqual(
      (options['excludeCredentials'] as Array<{ id: string }>).map((c) => c.id),
      [alice.credential.id],
    );
    await assert.rejects(pageA.create(options), /InvalidStateError|excluded|already registered/i);
  });

  it('signs in without a password (discoverable credential, user verified); the token validates', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    const res = await passkeyLogin(pageA);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const token = res.body['token'] as string;
    assert.ok(res.body['expires_at']);
    const validated = await m.request('POST', '/v1/token/validate', { token });
    assert.equal(validated.status, 200);
    const claims = validated.json<{ valid: boolean; username: string; sub: string }>();
    assert.equal(claims.valid, true);
    assert.equal(claims.username, 'alice');
    assert.equal(claims.sub, aliceId);
    const ok = lastAudit('webauthn_login_ok')!;
    assert.equal(ok.details['credential'], alice.view['id']);
    assert.equal(ok.details['second_factor'], false);
    assert.equal(ok.targetId, aliceId);
    const list = await m.request('GET', `/v1/accounts/${aliceId}/webauthn`, { token: aliceToken });
    assert.ok(list.json<{ credentials: Array<{ last_used_at?: string }> }>().credentials[0]?.last_used_at);
  });

  it('refuses a replayed finish and an assertion made over another challenge', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    const first = await passkeyLogin(pageA);
    assert.equal(first.status, 200);
    const replay = await pageA.api('POST', '/v1/auth/webauthn/login/finish', { body: first.finishBody });
    assert.equal(replay.status, 401);
    assert.deepEqual(replay.body, { error: 'invalid credentials' });
    assert.equal(lastAudit('webauthn_login_fail')?.details['reason'], 'bad_challenge');

    const c1 = (await pageA.api('POST', '/v1/auth/webauthn/login/begin', { body: {} })).body as unknown as Begun;
    const c2 = (await pageA.api('POST', '/v1/auth/webauthn/login/begin', { body: {} })).body as unknown as Begun;
    const signedOverC1 = await pageA.get(c1.options);
    const swapped = await pageA.api('POST', '/v1/auth/webauthn/login/finish', {
      body: { challenge_id: c2.challenge_id, credential: signedOverC1 },
    });
    assert.equal(swapped.status, 401);
    assert.equal(lastAudit('webauthn_login_fail')?.details['reason'], 'bad_assertion');
    // the same assertion with the challenge it was made for is fine: the refusal was the binding
    const right = await pageA.api('POST', '/v1/auth/webauthn/login/finish', {
      body: { challenge_id: c1.challenge_id, credential: signedOverC1 },
    });
    assert.equal(right.status, 200, JSON.stringify(right.body));
  });

  it("with a username, allowCredentials lists that account's passkeys; another account's passkey is refused", async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    const bobToken = await m.login('bob', bobPassword);
    bob = await register(pageB, bobToken, bobPassword, 'phone');
    const named = (await pageA.api('POST', '/v1/auth/webauthn/login/begin', { body: { username: 'alice' } }))
      .body as unknown as Begun;
    assert.deepEqual(
      named.options.allowCredentials?.map((c) => c.id),
      [alice.credential.id],
    );
    assert.equal(named.options['userVerification'], 'preferred');

    // bob's authenticator answers a ceremony begun for alice (with its own discoverable passkey)
    const crossed = await passkeyLogin(pageB, { username: 'alice', sign: (o) => ({ ...o, allowCredentials: [] }) });
    assert.equal(crossed.status, 401);
    const fail = lastAudit('webauthn_login_fail')!;
    assert.equal(fail.details['reason'], 'wrong_account');
    assert.equal(fail.targetId, bobId);
    // and bob signs in as bob
    assert.equal((await passkeyLogin(pageB, { username: 'bob' })).status, 200);
  });

  it('keeps credential ids and public keys out of the database files in clear', (t) => {
    if (tool.skip) return t.skip(tool.skip);
    const needles: Array<[string, Buffer]> = [];
    for (const [who, reg] of [
      ['alice', alice],
      ['bob', bob],
    ] as const) {
      const id = Buffer.from(reg.credential.id, 'base64url');
      const spki = Buffer.from(reg.credential.response.publicKey, 'base64url');
      const jwk = createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ format: 'jwk' });
      needles.push(
        [`${who} credential id (raw)`, id],
        [`${who} credential id (base64url)`, Buffer.from(reg.credential.id, 'ascii')],
        [`${who} credential id (base64)`, Buffer.from(id.toString('base64').replace(/=+$/, ''), 'ascii')],
        [`${who} public key (spki der)`, spki],
        [`${who} public key x (raw)`, Buffer.from(jwk.x!, 'base64url')],
        [`${who} public key x (base64url)`, Buffer.from(jwk.x!, 'ascii')],
      );
      if (jwk.y) needles.push([`${who} public key y (raw)`, Buffer.from(jwk.y, 'base64url')]);
    }
    const path = m.server.config.database.path;
    const files = [path, `${path}-wal`].filter((f) => existsSync(f));
    assert.equal(files.length, 2);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const [what, needle] of needles) assert.equal(bytes.indexOf(needle), -1, `${what} found in ${file}`);
    }
    // the rows are there, sealed
    const row = m.server.core.stores.webauthn.byUuid(alice.view['id'] as string)!;
    assert.ok(row.credentialIdEnc.length > 32 && row.publicKeyEnc.length > 32);
    assert.equal(row.credentialHmac.length, 32);
  });

  it('a password makes the passkey the second factor: presence is enough, the password must be right', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    // The page asks the authenticator for presence only, as a second-factor step after a
    // password would: the assertion comes back without the UV flag.
    const presenceOnly = (o: Begun['options']) => ({ ...o, userVerification: 'discouraged' });
    const unverified = await passkeyLogin(pageA, { username: 'alice', sign: presenceOnly });
    assert.equal(unverified.status, 401);
    assert.equal(lastAudit('webauthn_login_fail')?.details['reason'], 'user_not_verified');
    const wrong = await passkeyLogin(pageA, { username: 'alice', password: 'not-alices-password', sign: presenceOnly });
    assert.equal(wrong.status, 401);
    assert.equal(lastAudit('webauthn_login_fail')?.details['reason'], 'bad_password');
    const right = await passkeyLogin(pageA, { username: 'alice', password: alicePassword, sign: presenceOnly });
    assert.equal(right.status, 200, JSON.stringify(right.body));
    assert.equal(lastAudit('webauthn_login_ok')?.details['second_factor'], true);
  });

  it('either TOTP or a passkey is the second factor: with TOTP on, a passkey login needs no code', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    const enrolled = await m.request('POST', '/v1/auth/totp/enroll', { token: aliceToken, body: { password: alicePassword } });
    const { secret } = enrolled.json<{ secret: string }>();
    const confirm = await m.request('POST', '/v1/auth/totp/confirm', {
      token: aliceToken,
      body: { code: totpCodeAt(secret, Date.now()) },
    });
    assert.equal(confirm.status, 204, confirm.body);
    const passwordOnly = await m.request('POST', '/v1/auth/login', { body: { username: 'alice', password: alicePassword } });
    assert.deepEqual(passwordOnly.json(), { error: 'totp code required' });
    assert.equal((await passkeyLogin(pageA)).status, 200);
    assert.equal((await passkeyLogin(pageA, { username: 'alice', password: alicePassword })).status, 200);
  });

  it('clone detection: an assertion whose counter does not increase is refused and audited', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    const recordId = alice.view['id'] as string;
    const before = m.server.core.stores.webauthn.byUuid(recordId)!.signCount;
    assert.ok(before > 1);
    const [cred] = await pageA.credentials();
    // a copy of the key that has signed less often than the original: its next counter is 1
    await pageA.setSignCount(cred!.credentialId, 0);
    const cloned = await passkeyLogin(pageA);
    assert.equal(cloned.status, 401);
    const fail = lastAudit('webauthn_login_fail')!;
    assert.equal(fail.details['reason'], 'counter_regression');
    assert.equal(fail.details['stored_counter'], before);
    assert.equal(fail.details['counter'], 1);
    assert.equal(m.server.core.stores.webauthn.byUuid(recordId)!.signCount, before, 'the stored counter is unchanged');
    // the authenticator that really is ahead signs in again
    await pageA.setSignCount(cred!.credentialId, before + 5);
    assert.equal((await passkeyLogin(pageA)).status, 200);
    assert.equal(m.server.core.stores.webauthn.byUuid(recordId)!.signCount, before + 6);
  });

  it('login policy applies to passkey logins: a deny rule for the service is 403', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    const admin = await m.adminToken();
    const rule = await m.request('POST', '/v1/policy/rules', {
      token: admin,
      body: {
        description: 'nobody logs in to the locked service',
        effect: 'deny',
        priority: 10,
        actions: ['auth:login'],
        service_names: ['locked-service'],
        enabled: true,
      },
    });
    assert.equal(rule.status, 200, rule.body);
    const denied = await passkeyLogin(pageA, { service_name: 'locked-service' });
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.body, { error: 'login denied by policy' });
    const audit = lastAudit('login_denied_policy')!;
    assert.equal(audit.details['credential'], alice.view['id']);
    assert.equal(audit.details['service_name'], 'locked-service');
    assert.equal((await passkeyLogin(pageA, { service_name: 'open-service' })).status, 200);
  });

  it('respects the lockout and the account status', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    for (let i = 0; i < 5; i++) {
      const res = await m.request('POST', '/v1/auth/login', { body: { username: 'bob', password: 'wrong-password-x' } });
      assert.equal(res.status, 401);
    }
    const locked = await passkeyLogin(pageB);
    assert.equal(locked.status, 401);
    assert.equal(lastAudit('webauthn_login_fail')?.details['reason'], 'locked');
    const admin = await m.adminToken();
    assert.equal((await m.request('PATCH', `/v1/accounts/${bobId}`, { token: admin, body: { status: 'inactive' } })).status, 200);
    const inactive = await passkeyLogin(pageB);
    assert.equal(inactive.status, 401);
    assert.equal(lastAudit('webauthn_login_fail')?.details['reason'], 'inactive');
  });

  it("removes passkeys: one's own, or another's as an admin; a removed passkey cannot sign in", async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    const bobPasskey = `/v1/accounts/${bobId}/webauthn/${bob.view['id'] as string}`;
    assert.equal((await m.request('DELETE', bobPasskey, { token: aliceToken })).status, 403);
    const admin = await m.adminToken();
    assert.equal((await m.request('GET', `/v1/accounts/${bobId}/webauthn`, { token: admin })).status, 200);
    assert.equal((await m.request('DELETE', bobPasskey, { token: admin })).status, 204);

    const own = await m.request('DELETE', `/v1/accounts/${aliceId}/webauthn/${alice.view['id'] as string}`, {
      token: aliceToken,
    });
    assert.equal(own.status, 204, own.body);
    const removed = lastAudit('webauthn_removed')!;
    assert.equal(removed.details['credential'], alice.view['id']);
    assert.equal(removed.actorId, aliceId);
    assert.deepEqual((await m.request('GET', `/v1/accounts/${aliceId}/webauthn`, { token: aliceToken })).json(), {
      credentials: [],
    });
    // the authenticator still has the key; MCIAS no longer knows it
    const gone = await passkeyLogin(pageA);
    assert.equal(gone.status, 401);
    assert.equal(lastAudit('webauthn_login_fail')?.details['reason'], 'unknown_credential');
  });

  it('never writes a credential id to the audit log or the server log', (t) => {
    if (tool.skip) return t.skip(tool.skip);
    const audit = JSON.stringify(m.server.core.audit.list({ limit: 500 }));
    const log = readFileSync(m.logPath, 'utf8');
    assert.ok(seenIds.length === 2);
    for (const id of seenIds) {
      assert.ok(!audit.includes(id), 'credential id in the audit log');
      assert.ok(!log.includes(id), 'credential id in the server log');
    }
    assert.ok(!log.includes(alicePassword) && !log.includes(bobPassword));
  });
});
