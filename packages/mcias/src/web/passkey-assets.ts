import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { serveAsset, type AccessTable } from '@metacircular/mcdsl';
import type { FastifyInstance } from 'fastify';

/** passkeyAssetPaths are the passkey pages' scripts, served from our own origin like htmx. */
export const passkeyAssetPaths = {
  simpleWebAuthn: '/static/passkey-browser.js',
  script: '/static/mcias-passkeys.js',
} as const;

/** passkeyAssetAccess is the access-table rows of those scripts: public, like every asset. */
export const passkeyAssetAccess: AccessTable = {
  [`GET ${passkeyAssetPaths.simpleWebAuthn}`]: { level: 'public' },
  [`GET ${passkeyAssetPaths.script}`]: { level: 'public' },
};

// The pages carry no script, only data-* attributes naming the routes; this file acts on them
// through event delegation, so a card that htmx swaps in works without re-binding. The CSRF
// token is the HMAC value the page puts in <body hx-headers> (spec 1.11), never the cookie.
const script = `// MCIAS web UI: passkeys (WebAuthn through @simplewebauthn/browser).
(function () {
  'use strict';
  if (globalThis.mciasPasskeys) return; // loaded once per page
  globalThis.mciasPasskeys = true;
  var swa = globalThis.SimpleWebAuthnBrowser;

  function csrfHeaders() {
    var raw = document.body.getAttribute('hx-headers');
    return raw ? JSON.parse(raw) : {};
  }

  function post(path, body) {
    var headers = Object.assign({ 'content-type': 'application/json', accept: 'application/json' }, csrfHeaders());
    return fetch(path, {
      method: 'POST',
      headers: headers,
      body: JSON.stringify(body),
      credentials: 'same-origin',
      redirect: 'manual',
    });
  }

  function flash(message) {
    var area = document.getElementById('flash');
    var p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = message;
    area.replaceChildren(p);
  }

  function clearFlash() {
    document.getElementById('flash').replaceChildren();
  }

  // What a refused request means to the user: the server's JSON message when there is one.
  async function refusal(res) {
    if (res.type === 'opaqueredirect' || res.status === 0) {
      return 'Your session ended or the server was sealed; reload the page.';
    }
    if ((res.headers.get('content-type') || '').indexOf('application/json') >= 0) {
      var data = await res.json().catch(function () { return {}; });
      if (data && typeof data.error === 'string') return data.error;
    }
    return 'The request failed (' + res.status + '); reload the page and try again.';
  }

  function ceremonyProblem(err) {
    if (err && err.name === 'NotAllowedError') return 'The passkey request was cancelled or timed out.';
    return 'The browser could not use a passkey: ' + (err && err.message ? err.message : String(err));
  }

  // step runs one POST; it returns the response when it succeeded and shows why when not.
  async function step(path, body) {
    var res = await post(path, body);
    if (res.ok) return res;
    flash(await refusal(res));
    return undefined;
  }

  async function signIn(button) {
    var begun = await step(button.dataset.begin, {});
    if (!begun) return;
    var ceremony = await begun.json();
    var credential;
    try {
      credential = await swa.startAuthentication({ optionsJSON: ceremony.options });
    } catch (err) {
      flash(ceremonyProblem(err));
      return;
    }
    var done = await step(button.dataset.finish, { challenge_id: ceremony.challenge_id, credential: credential });
    if (!done) return;
    var result = await done.json();
    window.location.assign(result.redirect || '/');
  }

  async function register(form) {
    var password = form.elements.namedItem('password');
    var name = form.elements.namedItem('name');
    var begun = await step(form.dataset.begin, { password: password.value });
    password.value = '';
    if (!begun) return;
    var ceremony = await begun.json();
    var credential;
    try {
      credential = await swa.startRegistration({ optionsJSON: ceremony.options });
    } catch (err) {
      flash(ceremonyProblem(err));
      return;
    }
    var done = await step(form.dataset.finish, {
      challenge_id: ceremony.challenge_id,
      credential: credential,
      name: name.value,
    });
    if (!done) return;
    clearFlash();
    htmx.swap(form.closest('[data-passkeys-card]'), await done.text(), { swapStyle: 'outerHTML' });
  }

  function guard(element, run) {
    if (element.dataset.busy === 'true') return;
    element.dataset.busy = 'true';
    run(element)
      .catch(function (err) { flash('The request failed: ' + (err && err.message ? err.message : String(err))); })
      .finally(function () { delete element.dataset.busy; });
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-passkey-login]');
    if (!button) return;
    event.preventDefault();
    guard(button, signIn);
  });

  document.addEventListener('submit', function (event) {
    var form = event.target.closest && event.target.closest('form[data-passkey-register]');
    if (!form) return;
    event.preventDefault();
    guard(form, register);
  });
})();
`;

// The package exports only its ES and CommonJS entry points, so the browser bundle is found
// next to the CommonJS one (`script/index.js` -> `dist/bundle/index.umd.min.js`).
async function loadSimpleWebAuthn(): Promise<Buffer> {
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return readFile(join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'));
}

/**
 * registerPasskeyAssets serves @simplewebauthn/browser's UMD bundle (read from the installed
 * package on first use, like mcdsl's htmx) and the passkey script (paths without "webauthn",
 * which names the API's routes), both cached for an hour and revalidated by ETag (mcdsl serveAsset).
 */
export function registerPasskeyAssets(app: FastifyInstance): void {
  serveAsset(app, passkeyAssetPaths.simpleWebAuthn, 'text/javascript; charset=utf-8', loadSimpleWebAuthn);
  serveAsset(app, passkeyAssetPaths.script, 'text/javascript; charset=utf-8', script);
}
