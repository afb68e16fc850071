import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, createHmac } from 'node:crypto';
import formbody from '@fastify/formbody';
import { createCSRF } from '../src/csrf/index.js';
import { createHttpServer, parseCookies } from '../src/httpserver/index.js';
import type { HttpServer } from '../src/httpserver/index.js';
import type { AccessTable } from '../src/access/index.js';
import { InvalidRequestError } from '../src/errors/index.js';
import { loadTLSFiles } from '../src/tls/index.js';
import { createTestPKI, httpsRequest } from '../src/testing/index.js';
import type { TestPKI, TestResponse } from '../src/testing/index.js';

const access: AccessTable = {
  'GET /form': { level: 'public' },
  'GET /search': { level: 'public' },
  'POST /submit': { level: 'public' },
  'PUT /submit': { level: 'public' },
  'PATCH /submit': { level: 'public' },
  'DELETE /submit': { level: 'public' },
};

describe('csrf signed double-submit cookie', () => {
  const key = randomBytes(32);
  const csrf = createCSRF({ key });
  let pki: TestPKI;
  let server: HttpServer;
  let base: string;

  before(async () => {
    pki = await createTestPKI();
    server = createHttpServer({ tls: await loadTLSFiles({ cert: pki.certPath, key: pki.keyPath }), access });
    await server.app.register(formbody);
    server.app.get('/form', (_request, reply) => ({ token: csrf.issue(reply) }));
    await server.app.register((web, _opts, done) => {
      web.addHook('preHandler', csrf.csrfHook);
      web.get('/search', () => ({ searched: true }));
      web.route({ method: ['POST', 'PUT', 'PATCH', 'DELETE'], url: '/submit', handler: () => ({ accepted: true }) });
      done();
    });
    const { port } = await server.listen('127.0.0.1:0');
    base = `https://127.0.0.1:${port}`;
  });
  after(async () => {
    await server.close();
    await pki.cleanup();
  });

  // One browser session: the cookie the server set and the token it rendered.
  async function session(cookieHeader?: string): Promise<{ cookie: string; token: string; res: TestResponse }> {
    const res = await httpsRequest(`${base}/form`, { ca: pki.caCert, headers: cookieHeader ? { cookie: cookieHeader } : {} });
    const setCookie = res.headers['set-cookie']?.[0];
    const cookie = setCookie ? (setCookie.split(';')[0] ?? '') : (cookieHeader ?? '');
    return { cookie, token: res.json<{ token: string }>().token, res };
  }

  const submit = (opts: { method?: string; cookie?: string; header?: string; form?: string }) => {
    const headers: Record<string, string> = {};
    if (opts.cookie) headers['cookie'] = opts.cookie;
    if (opts.header) headers['x-csrf-token'] = opts.header;
    if (opts.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    return httpsRequest(`${base}/submit`, {
      ca: pki.caCert,
      method: opts.method ?? 'POST',
      headers,
      ...(opts.form !== undefined ? { body: opts.form } : {}),
    });
  };

  const assertRefused = (res: TestResponse) => {
    assert.equal(res.status, 403);
    assert.deepEqual(res.json(), { error: 'invalid csrf token' });
  };

  it('sets a strict, secure, http-only __Host- cookie', async () => {
    const { res, token } = await session();
    const setCookie = res.headers['set-cookie'] ?? [];
    assert.equal(setCookie.length, 1);
    assert.match(setCookie[0] ?? '', /^__Host-csrf=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    assert.match(token, /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
  });

  it('accepts a valid token from the header or the form field', async () => {
    const { cookie, token } = await session();
    const viaHeader = await submit({ cookie, header: token });
    assert.equal(viaHeader.status, 200);
    assert.deepEqual(viaHeader.json(), { accepted: true });
    const viaForm = await submit({ cookie, form: `name=x&csrf_token=${encodeURIComponent(token)}` });
    assert.equal(viaForm.status, 200);
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      assert.equal((await submit({ method, cookie, header: token })).status, 200, method);
    }
  });

  it('reuses the nonce already in the browser so other tabs stay valid', async () => {
    const first = await session();
    const second = await session(first.cookie);
    assert.equal(second.res.headers['set-cookie'], undefined);
    assert.equal(second.token, first.token);
    assert.equal((await submit({ cookie: first.cookie, header: first.token })).status, 200);
  });

  it('refuses a missing cookie', async () => {
    const { token } = await session();
    assertRefused(await submit({ header: token }));
  });

  it('refuses a missing token', async () => {
    const { cookie } = await session();
    assertRefused(await submit({ cookie }));
    assertRefused(await submit({ cookie, form: 'name=x' }));
    assertRefused(await submit({ cookie, form: 'csrf_token=' }));
  });

  it('refuses a token signed with another key', async () => {
    const { cookie } = await session();
    const nonce = parseCookies(cookie).get('__Host-csrf') ?? '';
    const forged = `${nonce}.${createHmac('sha256', randomBytes(32)).update(Buffer.from(nonce, 'base64url')).digest('base64url')}`;
    assertRefused(await submit({ cookie, header: forged }));
  });

  it("refuses a valid token presented with another session's cookie", async () => {
    const mine = await session();
    const theirs = await session();
    assertRefused(await submit({ cookie: mine.cookie, header: theirs.token }));
  });

  it('refuses tampered tokens', async () => {
    const { cookie, token } = await session();
    const [nonce = '', mac = ''] = token.split('.');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    assertRefused(await submit({ cookie, header: `${nonce}.${flip(mac)}` }));
    assertRefused(await submit({ cookie, header: `${flip(nonce)}.${mac}` }));
    assertRefused(await submit({ cookie, header: `${token}.extra` }));
    assertRefused(await submit({ cookie, header: nonce }));
    assertRefused(await submit({ cookie: `__Host-csrf=${flip(nonce)}`, header: token }));
  });

  it('does not check safe methods', async () => {
    const res = await httpsRequest(`${base}/search`, { ca: pki.caCert });
    assert.equal(res.status, 200);
  });

  it('refuses a key shorter than 32 bytes', () => {
    assert.throws(() => createCSRF({ key: randomBytes(16) }), InvalidRequestError);
  });
});
