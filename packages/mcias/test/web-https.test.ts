// The web UI over plain HTTPS (no browser): the access table covers every page, CSRF stops
// forged forms before anything changes, admin pages refuse what the API would refuse, the TOTP
// login is two-step with a single-use 90 s nonce, a sealed server sends every page to /unseal,
// and no page ever carries a password, a session token or a confirmed TOTP secret.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { missingAccessRules } from '@metacircular/mcdsl';
import type { TestResponse } from '@metacircular/mcdsl/testing';
import { createTestClock, startTestMcias, type TestClock, type TestMcias } from '../src/testing.js';
import { totpCodeAt } from '../src/totp/index.js';
import { pendingLoginTtlMs, webAccess, webPaths } from '../src/web/index.js';
import { parseSetCookies, textOf, tokenIsValid, WebSession } from './web-session.js';

const umaPassword = 'uma-password-123';
const gusPassword = 'gus-password-123';

describe('web UI over HTTPS', () => {
  let m: TestMcias;
  let clock: TestClock;
  let adminToken: string;
  let umaId: string;
  let svcId: string;
  const responses: TestResponse[] = [];
  const sessionTokens = new Set<string>();
  let totpSecret = '';
  let serviceToken = '';

  const session = (): WebSession => new WebSession(m, responses);
  const signIn = async (username: string, password: string): Promise<WebSession> => {
    const s = session();
    const res = await s.login(username, password);
    assert.equal(res.status, 303, `login ${username}: ${res.status} ${textOf(res)}`);
    assert.ok(s.sessionToken);
    sessionTokens.add(s.sessionToken);
    return s;
  };
  const auditCount = async (eventType: string): Promise<number> => {
    const res = await m.request('GET', `/v1/audit?event_type=${eventType}&page_size=500`, { token: adminToken });
    return res.json<{ events: unknown[] }>().events.length;
  };

  before(async () => {
    clock = createTestClock();
    m = await startTestMcias({ now: clock.now });
    adminToken = await m.adminToken();
    umaId = await m.createAccount({ username: 'uma', password: umaPassword, roles: ['user'] });
    await m.createAccount({ username: 'gus', password: gusPassword, roles: ['guest'] });
    svcId = await m.createAccount({ username: 'svc-a', accountType: 'system' });
  });
  after(() => m?.cleanup());

  it('lists every web route in the one access table, each public and answered while sealed', async () => {
    const { unlisted, unused } = await missingAccessRules(m.server.http.app, m.server.access);
    assert.deepEqual(unlisted, []);
    assert.deepEqual(unused, []);
    for (const [key, rule] of Object.entries(webAccess)) {
      assert.deepEqual(m.server.access[key], rule, key);
      assert.equal(rule.level, 'public', key);
      assert.notEqual(rule.unsealed, true, key);
    }
    const routes = new Set(Object.keys(webAccess).map((key) => key.slice(key.indexOf(' ') + 1)));
    for (const path of Object.values(webPaths)) assert.ok(routes.has(path), `${path} has no access row`);
  });

  it('signs in with the form: HttpOnly, Secure, SameSite=Strict cookies, the page headers, 401 for a wrong password', async () => {
    const s = session();
    const form = await s.get(webPaths.login);
    assert.equal(form.status, 200);
    assert.match(String(form.headers['content-security-policy']), /script-src 'self'/);
    assert.match(String(form.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(form.headers['cache-control'], 'no-store');
    assert.equal(form.headers['x-frame-options'], 'DENY');
    const csrfCookies = parseSetCookies(form).filter((c) => c.name === '__Host-mcias-csrf');
    assert.equal(csrfCookies.length, 1, 'one CSRF nonce per response');
    for (const attr of ['httponly', 'secure']) assert.ok(csrfCookies[0]!.attributes.has(attr));

    const wrong = await s.send('POST', webPaths.login, { username: 'uma', password: 'not-her-password' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body, /value="uma"/);
    assert.ok(!wrong.body.includes('not-her-password'));
    assert.equal(s.sessionToken, undefined);

    const right = await s.send('POST', webPaths.login, { username: m.admin!.username, password: m.admin!.password });
    assert.equal(right.status, 303);
    assert.equal(right.headers.location, webPaths.dashboard);
    const cookie = parseSetCookies(right).find((c) => c.name === 'mcias_session');
    assert.ok(cookie);
    assert.equal(cookie.attributes.get('samesite'), 'Strict');
    assert.ok(cookie.attributes.has('httponly') && cookie.attributes.has('secure'));
    const maxAge = Number(cookie.attributes.get('max-age'));
    assert.ok(maxAge > 8 * 3600 - 2 && maxAge <= 8 * 3600, `an admin token lives 8 h: ${maxAge}`);
    sessionTokens.add(cookie.value);
    assert.equal(await tokenIsValid(m, cookie.value), true);
    const dashboard = await s.get(webPaths.dashboard);
    assert.equal(dashboard.status, 200);
    assert.match(dashboard.body, /<dd id="dashboard-username">admin<\/dd>/);
  });

  it('refuses every form without a valid CSRF token with 403, before anything changes', async () => {
    const admin = await signIn(m.admin!.username, m.admin!.password);
    const accountsBefore = (await m.request('GET', '/v1/accounts', { token: adminToken })).body;
    const create = {
      username: 'mallory',
      account_type: 'human',
      password: 'mallory-pass-123',
      confirm_password: 'mallory-pass-123',
    };
    assert.equal((await admin.send('POST', webPaths.accounts, create, { csrf: false })).status, 403);
    const forged = `${'A'.repeat(43)}.${'B'.repeat(43)}`;
    assert.equal((await admin.send('POST', webPaths.accounts, create, { csrf: forged })).status, 403);
    assert.equal((await admin.send('POST', webPaths.accounts, create, { csrf: false, htmx: true })).status, 403);
    // a token of another browser (another nonce cookie) is not ours either
    const other = session();
    await other.get(webPaths.login);
    assert.equal((await admin.send('POST', webPaths.accounts, create, { csrf: other.csrfToken! })).status, 403);
    assert.equal((await m.request('GET', '/v1/accounts', { token: adminToken })).body, accountsBefore);

    const tags = `/accounts/${umaId}/tags`;
    assert.equal((await admin.send('PUT', tags, { tags: 'evil:tag' }, { csrf: false, htmx: true })).status, 403);
    assert.equal((await admin.send('DELETE', `/accounts/${umaId}`, undefined, { csrf: false, htmx: true })).status, 403);
    const uma = await m.request('GET', `/v1/accounts/${umaId}`, { token: adminToken });
    assert.deepEqual(uma.json<{ tags: string[]; status: string }>().tags, []);
    assert.equal(uma.json<{ status: string }>().status, 'active');

    const loginsBefore = await auditCount('login_ok');
    const anon = session();
    await anon.get(webPaths.login);
    const login = await anon.send('POST', webPaths.login, { username: 'uma', password: umaPassword }, { csrf: false });
    assert.equal(login.status, 403);
    assert.equal(anon.sessionToken, undefined);
    assert.equal(await auditCount('login_ok'), loginsBefore, 'no login happened');

    const logout = await admin.send('POST', webPaths.logout, {}, { csrf: false });
    assert.equal(logout.status, 403);
    assert.equal(await tokenIsValid(m, admin.sessionToken!), true, 'the session survives a forged logout');
    assert.equal((await admin.send('POST', webPaths.logout, {})).status, 303);
    assert.equal(await tokenIsValid(m, [...sessionTokens].at(-1)!), false, 'a real logout revokes the token');
  });

  it('refuses admin pages and actions to a non-admin session with 403, as the API does', async () => {
    const uma = await signIn('uma', umaPassword);
    const dashboard = await uma.get(webPaths.dashboard);
    assert.equal(dashboard.status, 200);
    assert.doesNotMatch(dashboard.body, /href="\/accounts"|href="\/policies"|href="\/audit"/, 'no admin links');
    assert.equal((await uma.get(webPaths.profile)).status, 200);
    for (const path of [webPaths.accounts, `/accounts/${umaId}`, webPaths.tokens, webPaths.policies, webPaths.audit]) {
      const res = await uma.get(path);
      assert.equal(res.status, 403, path);
      assert.match(res.body, /id="error" data-status="403"/);
    }
    const posts: Array<[string, string, Record<string, string>]> = [
      ['POST', webPaths.accounts, { username: 'sneaky', account_type: 'system' }],
      ['POST', webPaths.policies, { effect: 'allow', priority: '0', actions: 'accounts:list' }],
      ['POST', webPaths.tokensIssue, { account_id: svcId }],
      ['POST', `/accounts/${umaId}/roles`, { role: 'admin' }],
      ['PUT', `/accounts/${umaId}/tags`, { tags: 'env:prod' }],
    ];
    for (const [method, path, fields] of posts) {
      const res = await uma.send(method, path, fields, { htmx: true });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.headers['hx-retarget'], '#flash');
    }
    const accounts = (await m.request('GET', '/v1/accounts', { token: adminToken })).json<{
      accounts: Array<{ username: string }>;
    }>();
    assert.ok(!accounts.accounts.some((a) => a.username === 'sneaky'));
    const roles = (await m.request('GET', `/v1/accounts/${umaId}/roles`, { token: adminToken })).json<{ roles: string[] }>();
    assert.deepEqual(roles.roles, ['user']);

    // An operator rule delegating accounts:list opens the list page, exactly as it opens the API.
    const rule = await m.request('POST', '/v1/policy/rules', {
      token: adminToken,
      body: { effect: 'allow', priority: 10, roles: ['user'], actions: ['accounts:list'], enabled: true },
    });
    assert.equal(rule.status, 200, rule.body);
    assert.equal((await uma.get(webPaths.accounts)).status, 200);
    assert.equal(
      (await uma.send('POST', webPaths.accounts, { username: 'sneaky', account_type: 'system' }, { htmx: true })).status,
      403,
    );
    await m.request('DELETE', `/v1/policy/rules/${rule.json<{ id: string }>().id}`, { token: adminToken });
    assert.equal((await uma.get(webPaths.accounts)).status, 403);

    const gus = await signIn('gus', gusPassword);
    const refused = await gus.get(webPaths.dashboard);
    assert.equal(refused.status, 403, 'guests have no web UI');
    assert.match(refused.body, /id="logout"/, 'but the refusal offers the logout button');
    assert.equal((await gus.send('POST', webPaths.logout, {})).status, 303, 'but can log out');

    const anon = session();
    const redirected = await anon.get(webPaths.accounts);
    assert.equal(redirected.status, 303);
    assert.equal(redirected.headers.location, webPaths.login);
    const htmx = await anon.get(webPaths.accounts, { htmx: true });
    assert.equal(htmx.status, 401);
    assert.equal(htmx.headers['hx-redirect'], webPaths.login);
  });

  it('enrols TOTP on the profile, then signs in in two steps with a single-use 90 s nonce', async () => {
    const uma = await signIn('uma', umaPassword);
    await uma.get(webPaths.profile);
    const wrongPassword = await uma.send('POST', webPaths.profileTotpEnroll, { password: 'not-her-password' }, { htmx: true });
    assert.equal(wrongPassword.status, 401);
    const enroll = await uma.send('POST', webPaths.profileTotpEnroll, { password: umaPassword }, { htmx: true });
    assert.equal(enroll.status, 200, enroll.body);
    totpSecret = /<code id="totp-secret" class="secret">([A-Z2-7]+)<\/code>/.exec(enroll.body)?.[1] ?? '';
    assert.ok(totpSecret.length >= 16);
    assert.match(enroll.body, /otpauth:\/\/totp\//);
    const confirm = await uma.send(
      'POST',
      webPaths.profileTotpConfirm,
      { code: totpCodeAt(totpSecret, clock.now()) },
      { htmx: true },
    );
    assert.equal(confirm.status, 200, confirm.body);
    assert.match(confirm.body, /data-state="enabled"/);
    assert.ok(!(await uma.get(webPaths.profile)).body.includes(totpSecret));
    clock.advance(30_000);

    const s = session();
    await s.get(webPaths.login);
    const step1 = await s.send('POST', webPaths.login, { username: 'uma', password: umaPassword });
    assert.equal(step1.status, 200);
    assert.equal(s.sessionToken, undefined, 'nothing is issued before the code');
    assert.ok(!step1.body.includes(umaPassword));
    const nonce = /name="nonce" value="([^"]+)"/.exec(step1.body)?.[1] ?? '';
    assert.equal(Buffer.from(nonce, 'base64url').length, 16, '128-bit nonce');
    const malformed = await s.send('POST', webPaths.loginTotp, { nonce, totp_code: '12' });
    assert.equal(malformed.status, 400, 'a malformed code does not spend the nonce');
    const code = totpCodeAt(totpSecret, clock.now());
    const step2 = await s.send('POST', webPaths.loginTotp, { nonce, totp_code: code });
    assert.equal(step2.status, 303, textOf(step2));
    assert.ok(s.sessionToken && (await tokenIsValid(m, s.sessionToken)));
    sessionTokens.add(s.sessionToken);
    const replay = await s.send('POST', webPaths.loginTotp, { nonce, totp_code: code });
    assert.equal(replay.status, 401);
    assert.match(textOf(replay), /expired or was already used/);

    const nextNonce = async (): Promise<string> => {
      const res = await s.send('POST', webPaths.login, { username: 'uma', password: umaPassword });
      return /name="nonce" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
    };
    const late = await nextNonce();
    clock.advance(pendingLoginTtlMs + 1000);
    const expired = await s.send('POST', webPaths.loginTotp, { nonce: late, totp_code: totpCodeAt(totpSecret, clock.now()) });
    assert.equal(expired.status, 401);

    const failsBefore = await auditCount('login_fail');
    const wrong = await s.send('POST', webPaths.loginTotp, {
      nonce: await nextNonce(),
      totp_code: '000000' === code ? '111111' : '000000',
    });
    assert.equal(wrong.status, 401);
    assert.equal(await auditCount('login_fail'), failsBefore + 1, 'a wrong code is audited');

    // Nonces collected before a lockout cannot be spent after it.
    const held = await nextNonce();
    for (let i = 0; i < 5; i++)
      await m.request('POST', '/v1/auth/login', { body: { username: 'uma', password: 'wrong-password-1' } });
    clock.advance(30_000);
    const locked = await s.send('POST', webPaths.loginTotp, { nonce: held, totp_code: totpCodeAt(totpSecret, clock.now()) });
    assert.equal(locked.status, 401);
    const last = await m.request('GET', '/v1/audit?event_type=login_fail&page_size=1', { token: adminToken });
    assert.equal(last.json<{ events: Array<{ details: { reason?: string } }> }>().events[0]?.details.reason, 'locked');
    clock.advance(16 * 60_000); // the lock runs out
  });

  it('shows an issued service token once, and revokes tokens by jti', async () => {
    const admin = await signIn(m.admin!.username, m.admin!.password);
    const page = await admin.get(`${webPaths.tokens}?account=${svcId}`);
    assert.equal(page.status, 200);
    assert.match(page.body, new RegExp(`<option value="${svcId}" selected>svc-a</option>`));
    const issued = await admin.send('POST', webPaths.tokensIssue, { account_id: svcId }, { htmx: true });
    assert.equal(issued.status, 200, issued.body);
    serviceToken =
      /<textarea id="issued-token-value" class="secret" rows="4" readonly>([^<]+)<\/textarea>/.exec(issued.body)?.[1] ?? '';
    assert.equal(await tokenIsValid(m, serviceToken), true);
    assert.match(issued.body, /hx-history="false"/);
    assert.ok(!(await admin.get(webPaths.tokens)).body.includes(serviceToken), 'not on the page when it is loaded again');
    const jti = /<code id="issued-jti">([^<]+)<\/code>/.exec(issued.body)?.[1] ?? '';
    const revoked = await admin.send('POST', webPaths.tokensRevoke, { jti }, { htmx: true });
    assert.equal(revoked.status, 200);
    assert.equal(await tokenIsValid(m, serviceToken), false);
    const unknown = await admin.send('POST', webPaths.tokensRevoke, { jti: 'no-such-jti' }, { htmx: true });
    assert.equal(unknown.status, 404);
  });

  it('never sent a password, a session token or a confirmed TOTP secret in a page', async () => {
    assert.ok(responses.length > 40);
    assert.ok(totpSecret && serviceToken && sessionTokens.size > 3);
    const secrets = [m.admin!.password, umaPassword, gusPassword, ...sessionTokens];
    for (const res of responses) {
      const visible = `${res.body}\n${JSON.stringify({ ...res.headers, 'set-cookie': undefined })}`;
      for (const secret of secrets)
        assert.ok(!visible.includes(secret), `a response carried a secret: ${res.body.slice(0, 200)}`);
    }
    assert.equal(responses.filter((r) => r.body.includes(totpSecret)).length, 1, 'the TOTP secret was shown once, at enrolment');
    assert.equal(responses.filter((r) => r.body.includes(serviceToken)).length, 1, 'the service token was shown once');
    const log = await readFile(m.logPath, 'utf8');
    for (const secret of [...secrets, serviceToken, totpSecret]) assert.ok(!log.includes(secret), 'the log holds a secret');
  });
});

describe('web UI while sealed', () => {
  let m: TestMcias;
  before(async () => {
    const first = await startTestMcias({ admin: false });
    m = await first.restart({ withKey: false });
  });
  after(() => m?.cleanup());

  it('sends every page to /unseal, serves the unseal page without session or CSRF, and keeps assets and health', async () => {
    assert.equal(m.server.core.vault.sealed, true);
    const s = new WebSession(m);
    for (const key of Object.keys(webAccess)) {
      const [method, path] = key.split(' ') as [string, string];
      if (path.startsWith('/static/') || path === webPaths.unseal) continue;
      const url = path.replace(/:(\w+)/g, (_, name: string) => (name === 'role' ? 'user' : '1'));
      const res = await s.send(method, url, method === 'GET' || method === 'DELETE' ? undefined : {}, { csrf: false });
      assert.equal(res.status, 303, `${key}: ${res.status}`);
      assert.equal(res.headers.location, webPaths.unseal, key);
    }
    const htmx = await s.get(webPaths.accounts, { htmx: true });
    assert.equal(htmx.headers['hx-redirect'], webPaths.unseal);

    const page = await s.get(webPaths.unseal);
    assert.equal(page.status, 200);
    assert.match(page.body, /<form method="post" action="\/unseal">/);
    assert.doesNotMatch(page.body, /csrf/);
    assert.equal(parseSetCookies(page).length, 0, 'no cookie while sealed');
    for (const asset of ['/static/htmx.min.js', '/static/mcias.css', '/static/mcias.js']) {
      assert.equal((await s.get(asset)).status, 200, asset);
    }
    assert.deepEqual((await m.request('GET', '/v1/health')).json(), { status: 'sealed' });
    // key-file mode: a passphrase is refused with the API's message, and the vault stays sealed
    const refused = await s.send('POST', webPaths.unseal, { passphrase: 'anything' });
    assert.equal(refused.status, 400);
    assert.match(textOf(refused), /key file/);
    assert.equal(m.server.core.vault.sealed, true);
  });
});
