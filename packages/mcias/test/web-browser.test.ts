// The web UI in a real browser: headless Chromium (Debian's, driven by playwright-core) signs in
// as the admin, creates accounts, grants a role, sets tags, issues and revokes a service token,
// adds and disables a policy rule, reads the audit log; a user changes their password, enrols
// TOTP and signs in with a code; a sealed server is unsealed from its page. One browser for the
// file. Skips without chromium unless MC_REQUIRE_INTEROP=1.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumLaunchOptions, createTestPKI, interopTool, type TestPKI } from '@metacircular/mcdsl/testing';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestClock, startTestMcias, type TestClock, type TestMcias } from '../src/testing.js';
import { totpCodeAt } from '../src/totp/index.js';
import { tokenIsValid } from './web-session.js';

const carolPassword = 'carol-first-pass-1';
const carolNewPassword = 'carol-second-pass-2';

describe('MCIAS web UI in headless Chromium', () => {
  const tool = interopTool('chromium');
  let pki: TestPKI;
  let clock: TestClock;
  let m: TestMcias;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let adminToken: string;
  const pageErrors: string[] = [];

  const url = (path: string): string => `${m.restUrl}${path}`;
  const signIn = async (p: Page, username: string, password: string): Promise<void> => {
    await p.goto(url('/login'));
    await p.fill('#username', username);
    await p.fill('#password', password);
    await Promise.all([p.waitForURL(/\/(login)?$/), p.click('#login-submit')]);
  };
  const watch = (p: Page): void => {
    p.on('pageerror', (err) => pageErrors.push(err.message));
    p.on('console', (msg) => {
      // htmx reports refused requests on the console; only script errors and CSP refusals count
      if (msg.type() === 'error' && /Refused to|Content Security Policy/.test(msg.text())) pageErrors.push(msg.text());
    });
    p.on('dialog', (dialog) => void dialog.accept());
  };

  before(async () => {
    if (tool.skip) return;
    pki = await createTestPKI();
    clock = createTestClock();
    m = await startTestMcias({ pki, now: clock.now });
    adminToken = await m.adminToken();
    browser = await chromium.launch(chromiumLaunchOptions(tool.path, { trust: [pki.cert] }));
    context = await browser.newContext();
    page = await context.newPage();
    watch(page);
  });
  after(async () => {
    await browser?.close();
    await m?.cleanup();
    await pki?.cleanup();
  });

  it('signs the admin in, creates an account, grants it a role and sets its tags', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    await page.goto(url('/'));
    assert.match(page.url(), /\/login$/, 'no session: to the login page');
    await signIn(page, m.admin!.username, m.admin!.password);
    assert.equal(await page.textContent('#dashboard-username'), 'admin');
    assert.equal(await page.evaluate(() => typeof (globalThis as { htmx?: unknown }).htmx), 'object');
    const cookie = (await context.cookies()).find((c) => c.name === 'mcias_session');
    assert.ok(cookie?.httpOnly && cookie.secure && cookie.sameSite === 'Strict');

    await page.goto(url('/accounts'));
    await page.fill('#new-username', 'carol');
    await page.selectOption('#new-account-type', 'human');
    await page.fill('#new-password', carolPassword);
    await page.fill('#new-confirm-password', carolPassword);
    await page.fill('#new-tags', 'team:a');
    await Promise.all([page.waitForURL(/\/accounts\/[0-9a-f-]{36}$/), page.click('#create-account-submit')]);
    const carolId = (await page.textContent('#account-id')) ?? '';
    assert.equal(await page.textContent('#account-status'), 'active');

    await page.selectOption('#grant-role', 'user');
    await page.click('#grant-role-submit');
    await page.waitForSelector('#roles li[data-role="user"]');
    const roles = await m.request('GET', `/v1/accounts/${carolId}/roles`, { token: adminToken });
    assert.deepEqual(roles.json<{ roles: string[] }>().roles, ['user']);

    await page.fill('#tags', 'env:prod\nteam:a');
    await page.click('#save-tags');
    await page.waitForSelector('#account .notice:has-text("Tags saved")');
    const tags = await m.request('GET', `/v1/accounts/${carolId}/tags`, { token: adminToken });
    assert.deepEqual(tags.json<{ tags: string[] }>().tags, ['env:prod', 'team:a']);

    // A refusal lands in #flash with the API's message; nothing changes.
    await page.fill('#tags', 'Not A Tag!');
    await page.click('#save-tags');
    await page.waitForSelector('#flash .error');
    assert.match((await page.textContent('#flash')) ?? '', /tag "Not" must be/i);
    const unchanged = await m.request('GET', `/v1/accounts/${carolId}/tags`, { token: adminToken });
    assert.deepEqual(unchanged.json<{ tags: string[] }>().tags, ['env:prod', 'team:a']);
  });

  it('issues a service token for a system account, shows it once, and revokes it', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    await page.goto(url('/accounts'));
    await page.fill('#new-username', 'svc-b');
    await page.selectOption('#new-account-type', 'system');
    await Promise.all([page.waitForURL(/\/accounts\/[0-9a-f-]{36}$/), page.click('#create-account-submit')]);
    await Promise.all([page.waitForURL(/\/tokens\?account=/), page.click('#issue-token-link')]);
    await page.click('#issue-token-submit');
    await page.waitForSelector('#issued-token-value');
    const token = await page.inputValue('#issued-token-value');
    const jti = (await page.textContent('#issued-jti')) ?? '';
    assert.equal(await tokenIsValid(m, token), true);

    await page.fill('#revoke-jti', jti);
    await page.click('#revoke-token-submit');
    await page.waitForSelector('#revoke-result .notice');
    assert.equal(await tokenIsValid(m, token), false, 'the revoked token fails validation');
    await page.reload();
    assert.ok(!(await page.content()).includes(token), 'a reload does not show it again');
  });

  it('adds a policy rule, disables it, and finds every change in the audit log', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    await page.goto(url('/policies'));
    assert.ok((await page.locator('tr[data-builtin="true"]').count()) >= 8, 'built-in rules are listed read-only');
    await page.fill('#rule-description', 'guests may not use mcr');
    await page.selectOption('#rule-effect', 'deny');
    await page.check('input[name="roles"][value="guest"]');
    await page.check('input[name="actions"][value="auth:login"]');
    await page.fill('#rule-services', 'mcr');
    await page.click('#create-rule-submit');
    const row = page.locator('tr[data-rule-id]:has-text("guests may not use mcr")');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-enabled'), 'true');
    const id = (await row.getAttribute('data-rule-id')) ?? '';
    await row.locator('.toggle-rule').click();
    await page.waitForSelector(`tr[data-rule-id="${id}"][data-enabled="false"]`);
    const rule = await m.request('GET', `/v1/policy/rules/${id}`, { token: adminToken });
    assert.deepEqual(
      (({ effect, enabled, service_names }) => ({ effect, enabled, service_names }))(
        rule.json<{ effect: string; enabled: boolean; service_names: string[] }>(),
      ),
      { effect: 'deny', enabled: false, service_names: ['mcr'] },
    );

    await page.goto(url('/audit'));
    const eventTypes = async (): Promise<Array<string | null>> =>
      Promise.all((await page.locator('#audit-events tr[data-event-type]').all()).map((r) => r.getAttribute('data-event-type')));
    const types = new Set(await eventTypes());
    for (const type of [
      'login_ok',
      'account_created',
      'role_granted',
      'tags_changed',
      'token_issued',
      'token_revoked',
      'policy_rule_created',
      'policy_rule_updated',
    ]) {
      assert.ok(types.has(type), `${type} is in the audit log page`);
    }
    await page.selectOption('#audit-type', 'role_granted');
    await Promise.all([page.waitForURL(/event_type=role_granted/), page.click('#audit-filters button[type="submit"]')]);
    assert.deepEqual(await eventTypes(), ['role_granted']);
  });

  it('lets a user change their password and enrol TOTP, then sign in with a code', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    await Promise.all([page.waitForURL(/\/login$/), page.click('#logout')]);
    await signIn(page, 'carol', carolPassword);
    assert.equal(await page.textContent('#dashboard-username'), 'carol');
    assert.equal(await page.locator('nav a[href="/accounts"]').count(), 0, 'no admin links for a user');

    await page.goto(url('/profile'));
    await page.fill('#current-password', carolPassword);
    await page.fill('#new-password', carolNewPassword);
    await page.fill('#confirm-password', carolNewPassword);
    await page.click('#change-password-submit');
    await page.waitForSelector('#password-card .notice');
    assert.equal(
      (await m.request('POST', '/v1/auth/login', { body: { username: 'carol', password: carolPassword } })).status,
      401,
    );

    await page.fill('#totp-password', carolNewPassword);
    await page.click('#totp-enroll-submit');
    await page.waitForSelector('#totp-secret');
    const secret = (await page.textContent('#totp-secret')) ?? '';
    assert.match(secret, /^[A-Z2-7]{16,}$/);
    await page.fill('#totp-confirm-code', totpCodeAt(secret, clock.now()));
    await page.click('#totp-confirm-submit');
    await page.waitForSelector('#totp-state[data-state="enabled"]');
    assert.ok(!(await page.content()).includes(secret), 'the secret is gone once confirmed');

    await Promise.all([page.waitForURL(/\/login$/), page.click('#logout')]);
    await page.fill('#username', 'carol');
    await page.fill('#password', carolNewPassword);
    await Promise.all([page.waitForURL(/\/login$/), page.click('#login-submit')]);
    await page.waitForSelector('#totp_code');
    assert.ok(!(await page.content()).includes(carolNewPassword));
    clock.advance(30_000);
    await page.fill('#totp_code', totpCodeAt(secret, clock.now()));
    await Promise.all([page.waitForURL(url('/')), page.click('#totp-submit')]);
    assert.equal(await page.textContent('#dashboard-username'), 'carol');
    assert.deepEqual(pageErrors, []);
  });

  it('unseals a sealed server from its unseal page', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    const first = await startTestMcias({ pki, masterKey: 'passphrase', admin: false });
    const sealed = await first.restart({ withKey: false });
    const ctx = await browser.newContext();
    try {
      const p = await ctx.newPage();
      watch(p);
      await p.goto(`${sealed.restUrl}/accounts`);
      assert.match(p.url(), /\/unseal$/);
      await p.fill('#passphrase', 'not-the-passphrase');
      await p.click('#unseal-submit');
      await p.waitForSelector('#unseal .error');
      assert.equal(sealed.server.core.vault.sealed, true);
      await p.fill('#passphrase', sealed.passphrase);
      await Promise.all([p.waitForURL(/\/login$/), p.click('#unseal-submit')]);
      assert.equal(sealed.server.core.vault.sealed, false);
      assert.deepEqual((await sealed.request('GET', '/v1/vault/status')).json(), { sealed: false });
      await p.waitForSelector('#login-submit');
      assert.deepEqual(pageErrors, []);
    } finally {
      await ctx.close();
      await sealed.cleanup();
    }
  });
});
