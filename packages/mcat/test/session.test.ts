// The session MCAT keeps after an accepted login, CSRF on both forms, and logout revoking the
// token at MCIAS, all against a real MCIAS over real TLS.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestResponse } from '@metacircular/mcdsl/testing';
import { startMcatFixture } from './fixtures/mcat-fixture.js';
import type { McatFixture } from './fixtures/mcat-fixture.js';
import { outcomeOf, parseSetCookies, textOf, WebSession } from './fixtures/web-session.js';

describe('sessions, CSRF and logout against a real MCIAS', () => {
  let fx: McatFixture;
  const responses: TestResponse[] = [];
  const tokens: string[] = [];
  const session = (): WebSession => new WebSession(fx.mcat.url, fx.caCert, responses);

  /** loggedIn returns a session holding alice's token, and the token. */
  const loggedIn = async (): Promise<{ web: WebSession; token: string }> => {
    const web = session();
    await web.get('/');
    const res = await web.post('/login', { username: fx.alice.username, password: fx.alice.password });
    assert.equal(outcomeOf(res), 'accepted');
    const token = web.cookies.get('mcat_session') ?? '';
    assert.ok(token.length > 0);
    tokens.push(token);
    return { web, token };
  };

  /** mciasAccepts asks MCIAS itself whether a token is valid. */
  const mciasAccepts = async (token: string): Promise<boolean> => {
    const res = await fx.mcias.request('POST', '/v1/token/validate', { token });
    return res.status === 200 && res.json<{ valid?: boolean }>().valid === true;
  };

  /** aliceLoginEvents counts MCIAS audit events of login attempts by alice. */
  const aliceLoginEvents = async (): Promise<number> => {
    const res = await fx.mcias.request('GET', '/v1/audit?page_size=500', { token: await fx.mcias.adminToken() });
    assert.equal(res.status, 200);
    const events = res.json<{ events: Array<{ event_type: string; actor_username?: string; target_username?: string }> }>()
      .events;
    return events.filter(
      (e) => /^login_|^token_issued$/.test(e.event_type) && (e.actor_username === 'alice' || e.target_username === 'alice'),
    ).length;
  };

  before(async () => {
    fx = await startMcatFixture();
  });
  after(() => fx?.cleanup());

  it('sets the session cookie HttpOnly, Secure, SameSite=Strict, living as long as the token', async () => {
    const web = session();
    const form = await web.get('/');
    const csrf = parseSetCookies(form).find((c) => c.name === '__Host-mcat-csrf');
    assert.ok(csrf, 'the form page sets the csrf cookie');
    for (const attr of ['httponly', 'secure']) assert.ok(csrf.attributes.has(attr), attr);
    assert.equal(csrf.attributes.get('samesite'), 'Strict');
    assert.equal(csrf.attributes.get('path'), '/');

    const res = await web.post('/login', { username: fx.alice.username, password: fx.alice.password });
    const cookie = parseSetCookies(res).find((c) => c.name === 'mcat_session');
    assert.ok(cookie);
    tokens.push(cookie.value);
    for (const attr of ['httponly', 'secure']) assert.ok(cookie.attributes.has(attr), attr);
    assert.equal(cookie.attributes.get('samesite'), 'Strict');
    const expires = Date.parse(/<time datetime="([^"]+)">/.exec(res.body)?.[1] ?? '');
    const maxAge = Number(cookie.attributes.get('max-age'));
    assert.ok(Math.abs(Date.now() + maxAge * 1000 - expires) < 60_000, 'max-age ends when the token does');
    assert.ok(!res.body.includes(cookie.value), 'the token is only in the cookie, never in the page');
    assert.ok(await mciasAccepts(cookie.value));
  });

  it('GET / shows the current session while MCIAS accepts its token', async () => {
    const { web, token } = await loggedIn();
    const res = await web.get('/');
    assert.equal(res.status, 200);
    assert.match(res.body, /<section id="session" data-session="active">/);
    assert.match(res.body, /<dd id="session-username">alice<\/dd>/);
    assert.match(res.body, /<dd id="session-roles">user<\/dd>/);
    assert.match(res.body, /<time datetime="[^"]+">/);
    assert.ok(!res.body.includes(token));
  });

  it('logout revokes the token at MCIAS and clears the cookie', async () => {
    const { web, token } = await loggedIn();
    assert.ok(await mciasAccepts(token));
    const res = await web.post('/logout', {});
    assert.equal(res.status, 200);
    assert.match(textOf(res), /Logged out: MCIAS revoked the token/);
    const cleared = parseSetCookies(res).find((c) => c.name === 'mcat_session');
    assert.equal(cleared?.attributes.get('max-age'), '0');
    assert.equal(web.cookies.has('mcat_session'), false);
    assert.equal(await mciasAccepts(token), false, 'MCIAS refuses the token after logout');

    // Replaying the old cookie gets the form, not the session, and the cookie cleared again.
    const replay = new WebSession(fx.mcat.url, fx.caCert, responses);
    replay.cookies.set('mcat_session', token);
    const page = await replay.get('/');
    assert.match(page.body, /<p id="notice" role="status">The session of this browser is no longer valid/);
    assert.match(page.body, /<form method="post" action="\/login">/);
    assert.equal(
      parseSetCookies(page)
        .find((c) => c.name === 'mcat_session')
        ?.attributes.get('max-age'),
      '0',
    );

    const again = await web.post('/logout', {});
    assert.match(textOf(again), /This browser had no MCAT session/);
  });

  it('logging in again revokes the token of the session it replaces', async () => {
    const { web, token: first } = await loggedIn();
    const res = await web.post('/login', { username: fx.alice.username, password: fx.alice.password });
    assert.equal(outcomeOf(res), 'accepted');
    const second = web.cookies.get('mcat_session') ?? '';
    tokens.push(second);
    assert.notEqual(second, first);
    assert.equal(await mciasAccepts(first), false);
    assert.equal(await mciasAccepts(second), true);
  });

  it('a login posted without the CSRF token is refused with 403 and never reaches MCIAS', async () => {
    const before = await aliceLoginEvents();
    assert.ok(before > 0, "the audit log shows alice's earlier logins, so a new one would show");
    const web = session();
    await web.get('/');
    const credentials = { username: fx.alice.username, password: fx.alice.password };
    const refusals = [
      await web.post('/login', credentials, { csrf: false }),
      await web.post('/login', credentials, { csrf: 'forged.token' }),
      // a well-formed token whose MAC is not ours
      await web.post('/login', credentials, { csrf: `${(web.csrfToken ?? '').split('.')[0]}.${'A'.repeat(43)}` }),
    ];
    // the right token without its cookie: a cross-site form cannot send the cookie
    const cookieless = new WebSession(fx.mcat.url, fx.caCert, responses);
    refusals.push(await cookieless.post('/login', credentials, { csrf: web.csrfToken ?? '' }));
    for (const res of refusals) {
      assert.equal(res.status, 403);
      assert.match(res.body, /<section id="error" data-status="403" role="alert">/);
      assert.ok(!parseSetCookies(res).some((c) => c.name === 'mcat_session'));
      assert.equal(outcomeOf(res), undefined);
    }
    assert.equal(await aliceLoginEvents(), before, 'MCIAS saw no login attempt');
  });

  it('a logout posted without the CSRF token is refused and the token stays valid', async () => {
    const { web, token } = await loggedIn();
    const res = await web.post('/logout', {}, { csrf: false });
    assert.equal(res.status, 403);
    assert.ok(!parseSetCookies(res).some((c) => c.name === 'mcat_session'), 'the cookie is not touched');
    assert.ok(await mciasAccepts(token));
    assert.equal((await web.get('/')).body.includes('data-session="active"'), true);
  });

  it('never sent a password back, and never logged a password or a token', async () => {
    for (const res of responses) {
      const everything = res.body + JSON.stringify(res.headers);
      for (const password of fx.passwords) assert.ok(!everything.includes(password));
    }
    const log = await fx.logText();
    assert.ok(tokens.length >= 4);
    for (const secret of [...fx.passwords, ...tokens]) assert.ok(!log.includes(secret), 'a secret is in the log');
  });
});
