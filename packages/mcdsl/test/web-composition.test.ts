import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import { createHttpServer, assertAccessTableComplete } from '../src/httpserver/index.js';
import type { HttpServer } from '../src/httpserver/index.js';
import { healthAccess, registerHealthRoute } from '../src/health/index.js';
import { createCSRF } from '../src/csrf/index.js';
import {
  getSessionToken,
  html,
  layout,
  registerStatic,
  requireSession,
  sendHTML,
  setSessionCookie,
  staticAccess,
} from '../src/web/index.js';
import type { AccessTable, Caller } from '../src/access/index.js';
import { UnauthenticatedError } from '../src/errors/index.js';
import { loadTLSFiles } from '../src/tls/index.js';
import { createTestPKI, httpsRequest } from '../src/testing/index.js';
import type { TestPKI } from '../src/testing/index.js';

// How a service wires the modules together: one server, health, static assets, web pages
// behind a session, every mutating form protected by CSRF bound to the session.
const access: AccessTable = {
  ...healthAccess,
  ...staticAccess,
  'GET /login': { level: 'public' },
  'POST /login': { level: 'public' },
  'GET /': { level: 'public' },
  'POST /notes': { level: 'public' },
};

function authenticate(token: string): Promise<Caller> {
  if (token !== 'session-alice') return Promise.reject(new UnauthenticatedError('invalid or expired token'));
  return Promise.resolve({ username: 'alice', roles: ['user'], accountType: 'human', isAdmin: false, isGuest: false, token });
}

function cookieOf(setCookie: string[] | undefined, name: string): string {
  const found = (setCookie ?? []).find((c) => c.startsWith(`${name}=`));
  assert.ok(found, `expected a ${name} cookie`);
  return found.split(';')[0] ?? '';
}

describe('a service composed of httpserver, health, web and csrf', () => {
  let pki: TestPKI;
  let server: HttpServer;
  let base: string;

  before(async () => {
    pki = await createTestPKI();
    const csrf = createCSRF({ key: randomBytes(32), bind: (request) => getSessionToken(request) });
    server = createHttpServer({ tls: await loadTLSFiles({ cert: pki.certPath, key: pki.keyPath }), access, authenticate });
    const { app } = server;
    await app.register(formbody);
    registerHealthRoute(app);
    registerStatic(app);
    await app.register((web, _opts, done) => {
      web.addHook('preHandler', csrf.csrfHook);
      web.get('/login', (_request, reply) => {
        const token = csrf.issue(reply);
        return sendHTML(
          reply,
          layout({
            title: 'Log in',
            csrfToken: token,
            body: html`<form method="post" action="/login">
              <input type="hidden" name="${csrf.fieldName}" value="${token}" />
            </form>`,
          }),
        );
      });
      web.post('/login', (_request, reply) => {
        setSessionCookie(reply, 'session-alice', { maxAgeSeconds: 600 });
        return reply.redirect('/', 303);
      });
      web.get('/', { preHandler: requireSession(authenticate) }, (request, reply) =>
        sendHTML(reply, layout({ title: 'Notes', csrfToken: csrf.issue(reply), body: html`<p>${request.caller?.username}</p>` })),
      );
      web.post('/notes', { preHandler: requireSession(authenticate) }, (request) => ({ by: request.caller?.username }));
      done();
    });
    const { port } = await server.listen('127.0.0.1:0');
    base = `https://127.0.0.1:${port}`;
  });
  after(async () => {
    await server.close();
    await pki.cleanup();
  });

  it('has an access rule for every route and a route for every rule', async () => {
    await assertAccessTableComplete(server.app, access);
  });

  it('walks from the login form to a CSRF-protected htmx post', async () => {
    assert.equal((await httpsRequest(`${base}/v1/health`, { ca: pki.caCert })).status, 200);

    const form = await httpsRequest(`${base}/login`, { ca: pki.caCert });
    const csrfCookie = cookieOf(form.headers['set-cookie'], '__Host-csrf');
    const loginToken = /name="csrf_token" value="([^"]+)"/.exec(form.body)?.[1] ?? '';

    const refused = await httpsRequest(`${base}/login`, {
      ca: pki.caCert,
      method: 'POST',
      headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=alice',
    });
    assert.equal(refused.status, 403);

    const login = await httpsRequest(`${base}/login`, {
      ca: pki.caCert,
      method: 'POST',
      headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=alice&csrf_token=${encodeURIComponent(loginToken)}`,
    });
    assert.equal(login.status, 303);
    const cookies = `${csrfCookie}; ${cookieOf(login.headers['set-cookie'], 'mc_session')}`;

    const page = await httpsRequest(`${base}/`, { ca: pki.caCert, headers: { cookie: cookies } });
    assert.equal(page.status, 200);
    const pageToken = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body)?.[1] ?? '';

    // The pre-login token was bound to "no session" and no longer works.
    const stale = await httpsRequest(`${base}/notes`, {
      ca: pki.caCert,
      method: 'POST',
      headers: { cookie: cookies, 'x-csrf-token': loginToken, 'hx-request': 'true' },
    });
    assert.equal(stale.status, 403);

    const note = await httpsRequest(`${base}/notes`, {
      ca: pki.caCert,
      method: 'POST',
      headers: { cookie: cookies, 'x-csrf-token': pageToken, 'hx-request': 'true' },
    });
    assert.equal(note.status, 200);
    assert.deepEqual(note.json(), { by: 'alice' });
  });
});
