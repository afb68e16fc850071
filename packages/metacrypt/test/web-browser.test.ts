// The web UI in a real browser: headless Chromium (Debian's, driven by playwright-core) signs the
// admin in while Metacrypt is sealed, follows the sealed page to /unseal, unseals, goes to the
// mounts, opens the transit mount, creates a key and encrypts then decrypts a message in the
// playground; a refused action shows the API's message in #flash. One browser for the file.
// Skips without chromium unless MC_REQUIRE_INTEROP=1.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumLaunchOptions, interopTool } from '@metacircular/mcdsl/testing';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';
import { sessionCookieName, type RunningWebServer } from '../src/web/index.js';
import { startTestWeb } from './web-session.js';

describe('Metacrypt web UI in headless Chromium', () => {
  const tool = interopTool('chromium');
  let mc: TestMetacrypt;
  let web: RunningWebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const url = (path: string): string => `${web.url}${path}`;

  before(async () => {
    if (tool.skip) return;
    mc = await startTestMetacrypt({ mounts: [{ name: 'transit', type: 'transit' }], unsealThrottle: { baseDelayMs: 0 } });
    await mc.restart(); // comes back sealed
    web = await startTestWeb(mc);
    browser = await chromium.launch(chromiumLaunchOptions(tool.path, { trust: [mc.pki.cert] }));
    context = await browser.newContext();
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      // htmx reports refused requests on the console; only script errors and CSP refusals count
      if (msg.type() === 'error' && /Refused to|Content Security Policy/.test(msg.text())) pageErrors.push(msg.text());
    });
    page.on('dialog', (dialog) => void dialog.accept());
  });
  after(async () => {
    await browser?.close();
    await web?.close();
    await mc?.stop();
  });

  it('signs in while sealed, unseals from the sealed page, and reaches the mounts', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    await page.goto(url('/login'));
    await page.fill('#username', mc.mcias.admin!.username);
    await page.fill('#password', mc.mcias.admin!.password);
    await Promise.all([page.waitForURL(url('/')), page.click('#login-submit')]);
    const cookie = (await context.cookies()).find((c) => c.name === sessionCookieName);
    assert.ok(cookie?.httpOnly && cookie.secure && cookie.sameSite === 'Strict');
    assert.equal(await page.evaluate(() => typeof (globalThis as { htmx?: unknown }).htmx), 'object');

    assert.equal(await page.textContent('#sealed h1'), 'Metacrypt is sealed');
    await Promise.all([page.waitForURL(url('/unseal')), page.click('#unseal-link')]);
    await page.fill('#unseal-password', 'not-the-unseal-password');
    await Promise.all([page.waitForLoadState(), page.click('#unseal-submit')]);
    await page.waitForSelector('#unseal .error');
    await page.fill('#unseal-password', mc.password);
    await Promise.all([page.waitForURL(url('/')), page.click('#unseal-submit')]);
    assert.equal(await page.textContent('#dashboard-state'), 'unsealed');

    await Promise.all([page.waitForURL(url('/mounts')), page.click('nav a[href="/mounts"]')]);
    await page.waitForSelector('#mount-table tr[data-mount="transit"]');
  });

  it('creates a transit key and encrypts then decrypts in the playground', async (t) => {
    if (tool.skip) return t.skip(tool.skip);
    await Promise.all([page.waitForURL(url('/transit/transit')), page.click('#mount-table a[href="/transit/transit"]')]);
    await page.fill('#transit-key-name', 'browser-key');
    await page.click('#create-transit-key-submit');
    await page.waitForSelector('#transit-key-table tr[data-key="browser-key"]');

    const message = 'sent from <chromium> & back';
    await page.fill('#encrypt-key', 'browser-key');
    await page.fill('#encrypt-plaintext', message);
    await page.click('#transit-encrypt-submit');
    await page.waitForSelector('#transit-ciphertext');
    const ciphertext = await page.inputValue('#transit-ciphertext');
    assert.match(ciphertext, /^metacrypt:v1:/);

    await page.fill('#decrypt-key', 'browser-key');
    await page.fill('#decrypt-ciphertext', ciphertext);
    await page.click('#transit-decrypt-submit');
    await page.waitForSelector('#plaintext');
    assert.equal(await page.textContent('#plaintext'), message);

    // a refusal lands in #flash with the API's message; the page stays
    await page.fill('#encrypt-key', 'no-such-key');
    await page.click('#transit-encrypt-submit');
    await page.waitForSelector('#flash .error');
    assert.match((await page.textContent('#flash')) ?? '', /no-such-key/);
    assert.equal(page.url(), url('/transit/transit'));
    assert.deepEqual(pageErrors, []);
  });
});
