// A real browser: headless Chromium (Debian's, driven by playwright-core) fills MCAT's form,
// submits it and sees MCIAS's verdict, then logs out. Skips without chromium unless
// MC_REQUIRE_INTEROP=1.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumLaunchOptions, interopTool } from '@metacircular/mcdsl/testing';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startMcatFixture } from './fixtures/mcat-fixture.js';
import type { McatFixture } from './fixtures/mcat-fixture.js';

describe('MCAT in headless Chromium', () => {
  const tool = interopTool('chromium');
  let fx: McatFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    if (tool.skip) return;
    fx = await startMcatFixture();
    browser = await chromium.launch(chromiumLaunchOptions(tool.path, { trust: [fx.mcatCert] }));
    context = await browser.newContext();
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  after(async () => {
    await browser?.close();
    await fx?.cleanup();
  });

  it('fills the form, submits it and sees the login accepted', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    const response = await page.goto(`${fx.mcat.url}/`);
    assert.equal(response?.status(), 200);
    // htmx came from our origin and ran under the page's CSP.
    assert.equal(await page.evaluate(() => typeof (globalThis as { htmx?: unknown }).htmx), 'object');

    await page.fill('#username', fx.alice.username);
    await page.fill('#password', fx.alice.password);
    await Promise.all([page.waitForURL(`${fx.mcat.url}/login`), page.click('button[type="submit"]')]);

    assert.equal(await page.getAttribute('#outcome', 'data-outcome'), 'accepted');
    assert.equal(await page.textContent('#outcome h2'), 'Accepted');
    assert.equal(await page.textContent('#session-username'), 'alice');
    assert.equal(await page.textContent('#session-roles'), 'user');
    assert.equal(await page.textContent('#session-account-type'), 'human');
    assert.ok(!(await page.content()).includes(fx.alice.password));

    // The browser stored the session as HttpOnly, Secure, SameSite=Strict.
    const cookie = (await context.cookies()).find((c) => c.name === 'mcat_session');
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(
      await page.evaluate(() =>
        (globalThis as unknown as { document: { cookie: string } }).document.cookie.includes('mcat_session'),
      ),
      false,
      'scripts cannot read it',
    );

    // Reloading / shows the session; logging out revokes the token at MCIAS.
    await page.goto(`${fx.mcat.url}/`);
    assert.equal(await page.getAttribute('#session', 'data-session'), 'active');
    await Promise.all([page.waitForURL(`${fx.mcat.url}/logout`), page.click('form[action="/logout"] button')]);
    assert.match((await page.textContent('#notice')) ?? '', /MCIAS revoked the token/);
    assert.equal(
      (await context.cookies()).some((c) => c.name === 'mcat_session'),
      false,
    );
    const validate = await fx.mcias.request('POST', '/v1/token/validate', { token: cookie.value });
    assert.ok(!(validate.status === 200 && validate.json<{ valid?: boolean }>().valid === true), 'the token is revoked');

    assert.deepEqual(pageErrors, []);
  });

  it('shows "bad credentials" for a wrong password', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    await page.goto(`${fx.mcat.url}/`);
    await page.fill('#username', fx.alice.username);
    await page.fill('#password', 'not-the-password-123');
    await Promise.all([page.waitForURL(`${fx.mcat.url}/login`), page.click('button[type="submit"]')]);
    assert.equal(await page.getAttribute('#outcome', 'data-outcome'), 'bad-credentials');
    assert.equal(await page.inputValue('#username'), 'alice');
    assert.equal(await page.inputValue('#password'), '');
  });
});
