// MCAT against a real MCIAS over real TLS: each of the three outcomes, with the policy rules
// that cause a denial created through MCIAS's own REST API, and MCAT's own failures.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestResponse } from '@metacircular/mcdsl/testing';
import { startMcatFixture } from './fixtures/mcat-fixture.js';
import type { McatFixture } from './fixtures/mcat-fixture.js';
import { withPolicyRule } from './fixtures/policy-rule.js';
import { outcomeOf, parseSetCookies, textOf, WebSession } from './fixtures/web-session.js';

describe('login outcomes against a real MCIAS', () => {
  let fx: McatFixture;
  const responses: TestResponse[] = [];
  const session = (): WebSession => new WebSession(fx.mcat.url, fx.caCert, responses);

  // One login through MCAT's form, as a browser does it: load the form, post it with its token.
  const tryLogin = async (fields: Record<string, string>, web = session()): Promise<TestResponse> => {
    await web.get('/');
    return web.post('/login', fields);
  };
  const aliceLogin = (web?: WebSession): Promise<TestResponse> =>
    tryLogin({ username: fx.alice.username, password: fx.alice.password }, web);

  before(async () => {
    fx = await startMcatFixture({ serviceName: 'mcat-test', tags: ['env:restricted'] });
  });
  after(() => fx?.cleanup());

  it('shows the form and the service context it tests', async () => {
    const res = await session().get('/');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/html/);
    assert.match(res.body, /<form method="post" action="\/login">/);
    assert.match(res.body, /<input id="password" name="password" type="password"[^>]*>/);
    assert.match(res.body, /<code id="service-name">mcat-test<\/code>/);
    assert.match(res.body, /<code class="tag">env:restricted<\/code>/);
    assert.ok(res.body.includes(fx.mcias.restUrl));
  });

  it('accepted: shows the username, roles, account type and expiry MCIAS reports', async () => {
    const res = await aliceLogin();
    assert.equal(res.status, 200);
    assert.equal(outcomeOf(res), 'accepted');
    assert.match(res.body, /<h2>Accepted<\/h2>/);
    assert.match(res.body, /<dd id="session-username">alice<\/dd>/);
    assert.match(res.body, /<dd id="session-roles">user<\/dd>/);
    assert.match(res.body, /<dd id="session-account-type">human<\/dd>/);
    const expires = /<time datetime="([^"]+)">/.exec(res.body)?.[1] ?? '';
    assert.ok(Date.parse(expires) > Date.now(), `expiry ${expires} is in the future`);
    assert.match(res.body, /<form method="post" action="\/logout">/);
  });

  it('bad credentials: a wrong password shows "bad credentials" and sets no session', async () => {
    const wrong = `${fx.alice.password}-wrong`;
    const res = await tryLogin({ username: fx.alice.username, password: wrong });
    assert.equal(res.status, 200);
    assert.equal(outcomeOf(res), 'bad-credentials');
    assert.match(textOf(res), /Bad credentials/);
    assert.ok(!parseSetCookies(res).some((c) => c.name === 'mcat_session'));
    assert.ok(!res.body.includes(wrong), 'the wrong password is not echoed either');
    // The form comes back with the username and an empty password field.
    assert.match(res.body, /<input id="username" name="username"[^>]* value="alice">/);
    assert.match(
      res.body,
      /<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">/,
    );

    const unknown = await tryLogin({ username: 'nobody', password: 'whatever-password-1' });
    assert.equal(outcomeOf(unknown), 'bad-credentials');
  });

  it("denied by policy: a deny rule on MCAT's service_name, and only on it", async () => {
    await withPolicyRule(
      fx.mcias,
      {
        effect: 'deny',
        priority: 10,
        actions: ['auth:login'],
        service_names: ['mcat-test'],
        description: 'no logins to mcat-test',
      },
      async (ruleId) => {
        const res = await aliceLogin();
        assert.equal(res.status, 200);
        assert.equal(outcomeOf(res), 'denied-by-policy');
        assert.match(textOf(res), /Denied by policy/);
        assert.ok(!parseSetCookies(res).some((c) => c.name === 'mcat_session'));
        // MCIAS's audit log names our rule as the one that decided.
        const token = await fx.mcias.adminToken();
        const audit = await fx.mcias.request('GET', '/v1/audit?event_type=login_denied_policy', { token });
        const events = audit.json<{ events: Array<{ details?: { rule_id?: unknown } }> }>().events;
        assert.ok(
          events.some((e) => String(e.details?.rule_id) === ruleId),
          JSON.stringify(events),
        );
      },
    );
    await withPolicyRule(
      fx.mcias,
      { effect: 'deny', priority: 10, actions: ['auth:login'], service_names: ['some-other-service'], description: 'not us' },
      async () => assert.equal(outcomeOf(await aliceLogin()), 'accepted'),
    );
    assert.equal(outcomeOf(await aliceLogin()), 'accepted', 'accepted again once the rule is gone');
  });

  it("denied by policy: a deny rule on required_tags matching MCAT's tags", async () => {
    await withPolicyRule(
      fx.mcias,
      {
        effect: 'deny',
        priority: 10,
        actions: ['auth:login'],
        required_tags: ['env:restricted'],
        description: 'restricted services',
      },
      async () => assert.equal(outcomeOf(await aliceLogin()), 'denied-by-policy'),
    );
    // A rule needing a tag MCAT does not send does not match.
    await withPolicyRule(
      fx.mcias,
      {
        effect: 'deny',
        priority: 10,
        actions: ['auth:login'],
        required_tags: ['env:restricted', 'env:production'],
        description: 'restricted production services',
      },
      async () => assert.equal(outcomeOf(await aliceLogin()), 'accepted'),
    );
  });

  it('a second MCAT with other tags gets another verdict from the same rule', async () => {
    const untagged = await fx.startAnotherMcat((c) => ({
      ...c,
      server: { ...c.server, listen_addr: '127.0.0.1:0' },
      mcias: { ...c.mcias, tags: [] },
    }));
    await withPolicyRule(
      fx.mcias,
      { effect: 'deny', priority: 10, actions: ['auth:login'], required_tags: ['env:restricted'], description: 'restricted' },
      async () => {
        assert.equal(outcomeOf(await aliceLogin()), 'denied-by-policy');
        const other = await aliceLogin(new WebSession(untagged.url, fx.caCert, responses));
        assert.equal(outcomeOf(other), 'accepted');
        assert.match(other.body, /with tags <em>\(none\)<\/em>/);
      },
    );
  });

  it('a malformed form is a 400 with the problem and the form again', async () => {
    const res = await tryLogin({ username: 'alice', password: '' });
    assert.equal(res.status, 400);
    assert.match(res.body, /<p id="form-problem" role="alert">enter a password<\/p>/);
    assert.match(res.body, /value="alice"/);
    const totp = await tryLogin({ username: 'alice', password: fx.alice.password, totp_code: 'abc' });
    assert.equal(totp.status, 400);
    assert.match(totp.body, /6 to 8 digits/);
  });

  it('escapes what the user typed', async () => {
    const res = await tryLogin({ username: '<script>alert(1)</script>', password: 'whatever-password-1' });
    assert.equal(outcomeOf(res), 'bad-credentials');
    assert.ok(!res.body.includes('<script>alert(1)'));
    assert.ok(res.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
  });

  it('MCIAS unreachable: a 503 page saying nothing was tested', async () => {
    const closed = await fx.startAnotherMcat((c) => ({
      ...c,
      server: { ...c.server, listen_addr: '127.0.0.1:0' },
      // A port that was just free: connection refused, promptly.
      mcias: { ...c.mcias, server_url: 'https://127.0.0.1:1' },
    }));
    const web = new WebSession(closed.url, fx.caCert, responses);
    await web.get('/');
    const res = await web.post('/login', { username: 'alice', password: fx.alice.password });
    assert.equal(res.status, 503);
    assert.match(res.body, /<section id="error" data-status="503" role="alert">/);
    assert.match(textOf(res), /nothing was tested/);
  });

  it('never sent a password back, in any page or header', () => {
    assert.ok(responses.length > 20);
    for (const res of responses) {
      const everything = res.body + JSON.stringify(res.headers);
      for (const password of fx.passwords) assert.ok(!everything.includes(password), 'a password was echoed');
    }
  });

  it('never wrote a password to its log', async () => {
    const log = await fx.logText();
    assert.match(log, /"msg":"login tested"/);
    for (const password of fx.passwords) assert.ok(!log.includes(password), 'a password is in the log');
  });
});
