// The web UI's passkey pages in a real browser: headless Chromium (Debian's, driven by
// playwright-core) with a CDP virtual authenticator (CTAP2, internal, resident keys, user
// verification) on the test MCIAS's own origin (https://localhost:<port>, the test leaf trusted
// by its SPKI hash). A user adds a passkey on the profile page (after a refused wrong password),
// signs in with the passkey button alone, removes it and can no longer use it; an admin sees and
// removes a user's passkey on the account page; the passkey routes refuse a missing CSRF token;
// no page carries a credential id. One browser for the file. Skips without chromium unless
// MC_REQUIRE_INTEROP=1.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { interopTool } from '@metacircular/mcdsl/testing';
import type { Page } from 'playwright-core';
import { startTestMcias, type TestMcias } from '../src/testing.js';
import { launchPasskeyBrowser, type PasskeyBrowser, type PasskeyPage } from './webauthn-browser.js';
import { tokenIsValid, WebSession } from './web-session.js';

const davePassword = 'dave-password-123';

describe('passkey pages of the web UI in headless Chromium', () => {
  const tool = interopTool('chromium');
  let m: TestMcias;
  let browser: PasskeyBrowser;
  let dave: PasskeyPage; // dave's browser, with his authenticator
  let admin: PasskeyPage;
  let daveId: string;
  let origin: string;
  const pageErrors: string[] = [];
  const htmlBodies: Array<Promise<string>> = [];
  const credentialIds = new Set<string>();

  const url = (path: string): string => `${origin}${path}`;
  const watch = (p: Page): void => {
    p.on('pageerror', (err) => pageErrors.push(err.message));
    p.on('console', (msg) => {
      if (msg.type() === 'error' && /Refused to|Content Security Policy/.test(msg.text())) pageErrors.push(msg.text());
    });
    p.on('dialog', (dialog) => void dialog.accept());
    // every HTML page and fragment the browser receives, for the credential id scan
    p.on('response', (res) => {
      if ((res.headers()['content-type'] ?? '').startsWith('text/html')) htmlBodies.push(res.text().catch(() => ''));
    });
  };
  const signIn = async (p: Page, username: string, password: string): Promise<void> => {
    await p.goto(url('/login'));
    await p.fill('#username', username);
    await p.fill('#password', password);
    await Promise.all([p.waitForURL(url('/')), p.click('#login-submit')]);
  };
  const logOut = async (p: Page): Promise<void> => {
    await Promise.all([p.waitForURL(url('/login')), p.click('#logout')]);
  };
  /** remember every credential the authenticator holds, in each encoding a page could show */
  const rememberCredentials = async (): Promise<void> => {
    for (const c of await dave.credentials()) credentialIds.add(c.credentialId);
  };
  const addPasskey = async (name: string): Promise<void> => {
    await dave.page.goto(url('/profile'));
    await dave.page.fill('#passkey-password', davePassword);
    await dave.page.fill('#passkey-name', name);
    await dave.page.click('#passkey-add-submit');
    await dave.page.waitForSelector(`#passkeys-card tr[data-passkey-id]:has-text("${name}")`);
    await rememberCredentials();
  };
  const listOf = async (accountId: string): Promise<Array<{ id: string; name: string }>> => {
    const res = await m.request('GET', `/v1/accounts/${accountId}/webauthn`, { token: await m.adminToken() });
    assert.equal(res.status, 200);
    return res.json<{ credentials?: Array<{ id: string; name: string }> }>().credentials ?? [];
  };
  const lastAudit = (eventType: string) => m.server.core.audit.list({ eventType, limit: 1 })[0];

  before(async () => {
    if (tool.skip) return;
    m = await startTestMcias({ config: { webauthn: { rp_id: 'localhost' } } });
    daveId = await m.createAccount({ username: 'dave', password: davePassword, roles: ['user'] });
    origin = `https://localhost:${m.server.rest.port}`;
    browser = await launchPasskeyBrowser({ executablePath: tool.path!, certPem: m.pki.cert, origin });
    dave = await browser.newPage();
    admin = await browser.newPage();
    watch(dave.page);
    watch(admin.page);
  });
  after(async () => {
    await browser?.close();
    await m?.cleanup();
  });

  it('adds a passkey on the profile page after the current password, refusing a wrong one', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    await dave.page.goto(url('/login'));
    assert.equal(await dave.page.locator('#passkey-login-button').count(), 1, 'the login page offers passkeys');
    await signIn(dave.page, 'dave', davePassword);
    await dave.page.goto(url('/profile'));
    await dave.page.waitForSelector('#passkeys-card #no-passkeys');

    await dave.page.fill('#passkey-password', 'not-daves-password');
    await dave.page.fill('#passkey-name', 'laptop');
    await dave.page.click('#passkey-add-submit');
    await dave.page.waitForSelector('#flash .error');
    assert.match((await dave.page.textContent('#flash')) ?? '', /invalid credentials/i);
    assert.equal((await dave.credentials()).length, 0, 'no ceremony ran');
    assert.equal(await dave.page.inputValue('#passkey-password'), '', 'the password is not kept in the page');

    await addPasskey('laptop');
    assert.match((await dave.page.textContent('#passkeys-card .notice')) ?? '', /laptop.*added/);
    assert.equal(await dave.page.textContent('#flash'), '', 'the earlier error is gone');
    const [stored] = await dave.credentials();
    assert.ok(stored?.isResidentCredential, 'a discoverable credential');
    const listed = await listOf(daveId);
    assert.deepEqual(
      listed.map((c) => c.name),
      ['laptop'],
    );
    const row = dave.page.locator('#passkeys-card tr[data-passkey-id]');
    assert.equal(await row.getAttribute('data-passkey-id'), listed[0]?.id, 'the page names the record, not the credential');
    assert.equal(lastAudit('webauthn_registered')?.actorId, daveId);
  });

  it('signs in with the passkey button alone and lands on the dashboard with a working session', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    await logOut(dave.page);
    await Promise.all([dave.page.waitForURL(url('/')), dave.page.click('#passkey-login-button')]);
    assert.equal(await dave.page.textContent('#dashboard-username'), 'dave');
    const cookie = (await dave.page.context().cookies()).find((c) => c.name === 'mcias_session');
    assert.ok(cookie?.httpOnly && cookie.secure && cookie.sameSite === 'Strict');
    assert.equal(await tokenIsValid(m, cookie.value), true);
    assert.equal(lastAudit('webauthn_login_ok')?.targetId, daveId);
    await dave.page.goto(url('/profile'));
    await dave.page.waitForSelector('#passkeys-card tr[data-passkey-id]:has-text("laptop")');
    assert.notEqual(
      (await dave.page.locator('#passkeys-card td').allTextContents()).find((text) => text.includes('UTC')),
      undefined,
    );
  });

  it('removes the passkey from the profile, after which it no longer signs in', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    await dave.page.click('#passkeys-card .remove-passkey');
    await dave.page.waitForSelector('#passkeys-card #no-passkeys');
    assert.deepEqual(await listOf(daveId), []);
    assert.equal(lastAudit('webauthn_removed')?.actorId, daveId);

    await logOut(dave.page);
    assert.equal((await dave.credentials()).length, 1, 'the authenticator still holds it');
    await dave.page.click('#passkey-login-button');
    await dave.page.waitForSelector('#flash .error');
    assert.match((await dave.page.textContent('#flash')) ?? '', /passkey was not accepted/i);
    assert.equal(dave.page.url(), url('/login'));
    assert.equal(
      (await dave.page.context().cookies()).find((c) => c.name === 'mcias_session'),
      undefined,
    );
    assert.equal(lastAudit('webauthn_login_fail')?.details['reason'], 'unknown_credential');
  });

  it("lets an admin see and remove a user's passkey on the account page, but not add one", async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    await signIn(dave.page, 'dave', davePassword);
    await addPasskey('phone');

    await signIn(admin.page, m.admin!.username, m.admin!.password);
    await admin.page.goto(url(`/accounts/${daveId}`));
    const row = admin.page.locator('#account-passkeys tr[data-passkey-id]');
    assert.equal(await row.count(), 1);
    assert.match((await row.textContent()) ?? '', /phone/);
    assert.equal(await admin.page.locator('#account-passkeys form').count(), 0, 'no enrolment for others');
    await admin.page.goto(url(`/accounts/${m.admin!.id}`));
    await admin.page.waitForSelector('#account-passkeys #no-passkeys');

    await admin.page.goto(url(`/accounts/${daveId}`));
    await admin.page.click('#account-passkeys .remove-passkey');
    await admin.page.waitForSelector('#account-passkeys #no-passkeys');
    assert.deepEqual(await listOf(daveId), []);
    const removed = lastAudit('webauthn_removed');
    assert.equal(removed?.actorId, m.admin!.id);
    assert.equal(removed?.targetId, daveId);
  });

  it('refuses the passkey routes without the CSRF token (403), changing nothing', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    // from the browser, as a script on the page would call them but without the header
    await dave.page.goto(url('/')); // still signed in since the admin test
    for (const path of ['/login/passkey/begin', '/login/passkey/finish']) {
      const res = await dave.page.evaluate(async (to) => {
        const r = await fetch(to, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        return { status: r.status, body: (await r.json()) as { error?: string } };
      }, path);
      assert.equal(res.status, 403, path);
      assert.match(res.body.error ?? '', /reload the page/i);
    }
    const s = new WebSession(m);
    await s.login('dave', davePassword);
    assert.ok(s.sessionToken);
    for (const path of ['/login/passkey/begin', '/login/passkey/finish', '/profile/passkeys/begin', '/profile/passkeys/finish']) {
      const res = await s.send('POST', path, { password: davePassword }, { csrf: false });
      assert.equal(res.status, 403, path);
    }
    await addPasskey('tablet');
    const [tablet] = await listOf(daveId);
    for (const path of [`/profile/passkeys/${tablet!.id}`, `/accounts/${daveId}/passkeys/${tablet!.id}`]) {
      const res = await s.send('DELETE', path, undefined, { csrf: false });
      assert.equal(res.status, 403, path);
    }
    assert.deepEqual(
      (await listOf(daveId)).map((c) => c.name),
      ['tablet'],
      'nothing removed',
    );
    // with the token the same session's request goes through (the refusals were the CSRF check)
    const ok = await s.send('DELETE', `/profile/passkeys/${tablet!.id}`, undefined, { htmx: true });
    assert.equal(ok.status, 200);
    assert.deepEqual(await listOf(daveId), []);
  });

  it('never puts a credential id in a page, and runs without script errors', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    await rememberCredentials();
    assert.ok(credentialIds.size >= 3, 'laptop, phone and tablet were created');
    const bodies = await Promise.all(htmlBodies);
    assert.ok(bodies.length > 10, 'pages were seen');
    for (const id of credentialIds) {
      const raw = Buffer.from(id, 'base64');
      for (const form of [raw.toString('base64url'), raw.toString('base64'), raw.toString('hex')]) {
        for (const body of bodies) assert.ok(!body.includes(form), 'a page carries a credential id');
      }
    }
    assert.deepEqual(pageErrors, []);
  });
});
