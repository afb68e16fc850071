import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  clearSessionCookie,
  getSessionToken,
  html,
  layout,
  registerStatic,
  requireSession,
  sendHTML,
  setSessionCookie,
  staticAccess,
} from '../src/web/index.js';
import { createHttpServer, missingAccessRules } from '../src/httpserver/index.js';
import type { HttpServer } from '../src/httpserver/index.js';
import type { AccessTable, Caller } from '../src/access/index.js';
import { UnauthenticatedError } from '../src/errors/index.js';
import { loadTLSFiles } from '../src/tls/index.js';
import { createTestPKI, httpsRequest } from '../src/testing/index.js';
import type { TestPKI } from '../src/testing/index.js';

const people: Record<string, Caller> = {
  'tok.alice': {
    username: '<b>alice</b>',
    roles: ['user'],
    accountType: 'human',
    isAdmin: false,
    isGuest: false,
    token: 'tok.alice',
  },
  'tok.guest': { username: 'guest', roles: ['guest'], accountType: 'human', isAdmin: false, isGuest: true, token: 'tok.guest' },
};
function authenticate(token: string): Promise<Caller> {
  const caller = people[token];
  return caller ? Promise.resolve(caller) : Promise.reject(new UnauthenticatedError('invalid or expired token'));
}

// Web pages are public in the access table: their session check is requireSession's job,
// since a browser must be redirected to the login page rather than shown a 401.
const access: AccessTable = {
  ...staticAccess,
  'GET /login': { level: 'public' },
  'POST /login': { level: 'public' },
  'POST /logout': { level: 'public' },
  'GET /': { level: 'public' },
};

describe('web pages over real TLS', () => {
  let pki: TestPKI;
  let server: HttpServer;
  let base: string;

  before(async () => {
    pki = await createTestPKI();
    server = createHttpServer({ tls: await loadTLSFiles({ cert: pki.certPath, key: pki.keyPath }), access });
    const { app } = server;
    registerStatic(app);
    app.get('/login', (_request, reply) => sendHTML(reply, layout({ title: 'Log in', body: html`<form></form>` })));
    app.post('/login', (_request, reply) => {
      setSessionCookie(reply, 'tok.alice', { maxAgeSeconds: 3600 });
      return reply.redirect('/', 303);
    });
    app.post('/logout', (request, reply) => {
      const had = getSessionToken(request);
      clearSessionCookie(reply);
      return { had: had ?? null };
    });
    app.get('/', { preHandler: requireSession(authenticate) }, (request, reply) =>
      sendHTML(reply, layout({ title: 'Home', body: html`<p>hello ${request.caller?.username}</p>` })),
    );
    const { port } = await server.listen('127.0.0.1:0');
    base = `https://127.0.0.1:${port}`;
  });
  after(async () => {
    await server.close();
    await pki.cleanup();
  });

  const get = (path: string, headers: Record<string, string> = {}) => httpsRequest(`${base}${path}`, { ca: pki.caCert, headers });

  it('serves htmx from the package with script content-type and cache headers', async () => {
    const file = await readFile(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js'), 'utf8');
    const res = await get('/static/htmx.min.js');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'public, max-age=3600');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.body, file);
    const etag = res.headers.etag ?? '';
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    const again = await get('/static/htmx.min.js', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
  });

  it('redirects to /login (303) without a session', async () => {
    const res = await get('/');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/login');
    assert.equal(res.headers['set-cookie'], undefined);
  });

  it('redirects and clears the cookie when the session token is no longer valid', async () => {
    const res = await get('/', { cookie: 'mc_session=tok.expired' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/login');
    assert.deepEqual(res.headers['set-cookie'], ['mc_session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict']);
  });

  it('sends htmx requests to the login page with HX-Redirect', async () => {
    const res = await get('/', { 'hx-request': 'true' });
    assert.equal(res.status, 401);
    assert.equal(res.headers['hx-redirect'], '/login');
  });

  it('refuses guests with 403', async () => {
    const res = await get('/', { cookie: 'mc_session=tok.guest' });
    assert.equal(res.status, 403);
    assert.deepEqual(res.json(), { error: 'forbidden' });
  });

  it('logs in with a strict, secure, http-only session cookie and renders escaped pages', async () => {
    const login = await httpsRequest(`${base}/login`, { ca: pki.caCert, method: 'POST' });
    assert.equal(login.status, 303);
    assert.deepEqual(login.headers['set-cookie'], [
      'mc_session=tok.alice; Max-Age=3600; Path=/; HttpOnly; Secure; SameSite=Strict',
    ]);
    const page = await get('/', { cookie: 'other=1; mc_session=tok.alice' });
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.match(page.body, /<p>hello &lt;b&gt;alice&lt;\/b&gt;<\/p>/);
  });

  it('clears the session cookie on logout', async () => {
    const res = await httpsRequest(`${base}/logout`, {
      ca: pki.caCert,
      method: 'POST',
      headers: { cookie: 'mc_session=tok.alice' },
    });
    assert.deepEqual(res.json(), { had: 'tok.alice' });
    assert.deepEqual(res.headers['set-cookie'], ['mc_session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict']);
  });

  it('lists every web route in the access table', async () => {
    assert.deepEqual(await missingAccessRules(server.app, access), { unlisted: [], unused: [] });
  });
});
