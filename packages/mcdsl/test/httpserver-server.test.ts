import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { createHttpServer, missingAccessRules, assertAccessTableComplete } from '../src/httpserver/index.js';
import type { HttpServer } from '../src/httpserver/index.js';
import { ConflictError, UnauthenticatedError } from '../src/errors/index.js';
import type { AccessTable, Caller } from '../src/access/index.js';
import { loadTLSFiles } from '../src/tls/index.js';
import { createTestPKI, httpsRequest } from '../src/testing/index.js';
import type { TestPKI } from '../src/testing/index.js';

// The fake authenticator is the unit boundary of mcdsl: token -> caller, no MCIAS involved.
function caller(username: string, roles: string[]): Caller {
  return {
    username,
    roles,
    accountType: 'human',
    isAdmin: roles.includes('admin'),
    isGuest: roles.includes('guest'),
    token: `tok-${username}`,
  };
}
const callers: Record<string, Caller> = {
  'tok-alice': caller('alice', ['user']),
  'tok-root': caller('root', ['admin']),
  'tok-guest': caller('visitor', ['guest']),
};
function authenticate(token: string): Promise<Caller> {
  const found = callers[token];
  return found ? Promise.resolve(found) : Promise.reject(new UnauthenticatedError('invalid or expired token'));
}

// Promise.withResolvers needs Node 22; CI runs Node 20.
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const access: AccessTable = {
  'GET /v1/public': { level: 'public' },
  'GET /v1/me': { level: 'authenticated' },
  'GET /v1/accounts/:id': { level: 'admin' },
  'POST /v1/items': { level: 'authenticated' },
  'POST /v1/secrets': { level: 'authenticated', unsealed: true },
  'GET /v1/boom': { level: 'public' },
  'GET /v1/conflict': { level: 'public' },
  'GET /v1/slow': { level: 'public' },
  'DELETE /v1/gone': { level: 'admin' },
  '/mcias.v1.AccountService/GetAccount': { level: 'admin' },
};

describe('httpserver over real TLS', () => {
  let pki: TestPKI;
  let server: HttpServer;
  let base: string;
  let sealed = false;
  const slow = { entered: deferred(), release: deferred() };

  before(async () => {
    pki = await createTestPKI({ names: [] });
    const tls = await loadTLSFiles({ cert: pki.certPath, key: pki.keyPath });
    server = createHttpServer({ tls, access, authenticate, isSealed: () => sealed, bodyLimit: 1024 });
    const { app } = server;
    app.get('/v1/public', () => ({ hello: 'world' }));
    app.get('/v1/me', (request) => ({ username: request.caller?.username }));
    app.get<{ Params: { id: string } }>('/v1/accounts/:id', (request) => ({
      id: request.params.id,
      by: request.caller?.username,
    }));
    app.post(
      '/v1/items',
      { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
      (request) => ({ created: (request.body as { name: string }).name }),
    );
    app.post('/v1/secrets', () => ({ stored: true }));
    app.get('/v1/boom', () => {
      throw new Error('database file /srv/x/x.db is corrupt');
    });
    app.get('/v1/conflict', () => {
      throw new ConflictError('account "alice" already exists');
    });
    app.get('/v1/slow', async () => {
      slow.entered.resolve();
      await slow.release.promise;
      return { finished: true };
    });
    app.get('/v1/unlisted', () => ({ leaked: true }));
    await server.listen('127.0.0.1:0').then(({ port }) => (base = `https://127.0.0.1:${port}`));
  });
  after(async () => {
    await server.close({ graceMs: 1000 });
    await pki.cleanup();
  });

  const get = (path: string, token?: string) =>
    httpsRequest(`${base}${path}`, { ca: pki.caCert, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('serves a public route without a token', async () => {
    const res = await get('/v1/public');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { hello: 'world' });
  });

  it('refuses an authenticated route without a token or with a bad one (401)', async () => {
    const none = await get('/v1/me');
    assert.equal(none.status, 401);
    assert.deepEqual(none.json(), { error: 'authentication required' });
    const bad = await get('/v1/me', 'tok-nobody');
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.json(), { error: 'invalid or expired token' });
  });

  it('refuses guests (403) and lets users through with the caller attached', async () => {
    assert.equal((await get('/v1/me', 'tok-guest')).status, 403);
    const ok = await get('/v1/me', 'tok-alice');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json(), { username: 'alice' });
  });

  it('keeps admin routes for admins', async () => {
    const user = await get('/v1/accounts/7', 'tok-alice');
    assert.equal(user.status, 403);
    assert.deepEqual(user.json(), { error: 'forbidden' });
    const admin = await get('/v1/accounts/7', 'tok-root');
    assert.equal(admin.status, 200);
    assert.deepEqual(admin.json(), { id: '7', by: 'root' });
  });

  it('answers 503 on unsealed-only routes while sealed, before looking at the token', async () => {
    sealed = true;
    try {
      const res = await httpsRequest(`${base}/v1/secrets`, { ca: pki.caCert, method: 'POST', body: {} });
      assert.equal(res.status, 503);
      assert.deepEqual(res.json(), { error: 'service is sealed' });
    } finally {
      sealed = false;
    }
    const open = await httpsRequest(`${base}/v1/secrets`, {
      ca: pki.caCert,
      method: 'POST',
      body: {},
      headers: { authorization: 'Bearer tok-alice' },
    });
    assert.equal(open.status, 200);
  });

  it('refuses a route missing from the access table (403) and reports it', async () => {
    const res = await get('/v1/unlisted', 'tok-root');
    assert.equal(res.status, 403);
    assert.deepEqual(res.json(), { error: 'route is not in the access table' });
    const report = await missingAccessRules(server.app, access);
    assert.deepEqual(report.unlisted, ['GET /v1/unlisted', 'HEAD /v1/unlisted']);
    assert.deepEqual(report.unused, ['DELETE /v1/gone']);
    await assert.rejects(assertAccessTableComplete(server.app, access), /GET \/v1\/unlisted[\s\S]*DELETE \/v1\/gone/);
  });

  it('covers HEAD with the GET rule', async () => {
    const res = await httpsRequest(`${base}/v1/me`, { ca: pki.caCert, method: 'HEAD' });
    assert.equal(res.status, 401);
    const ok = await httpsRequest(`${base}/v1/public`, { ca: pki.caCert, method: 'HEAD' });
    assert.equal(ok.status, 200);
  });

  it('answers unknown routes with 404 {"error":"not found"}', async () => {
    const res = await get('/v1/nothing-here');
    assert.equal(res.status, 404);
    assert.deepEqual(res.json(), { error: 'not found' });
  });

  it('shapes every error as {"error": "..."}', async () => {
    const internal = await get('/v1/boom');
    assert.equal(internal.status, 500);
    assert.deepEqual(internal.json(), { error: 'internal error' });

    const conflict = await get('/v1/conflict');
    assert.equal(conflict.status, 409);
    assert.deepEqual(conflict.json(), { error: 'account "alice" already exists' });

    const post = (body: string, contentType = 'application/json') =>
      httpsRequest(`${base}/v1/items`, {
        ca: pki.caCert,
        method: 'POST',
        body,
        headers: { authorization: 'Bearer tok-alice', 'content-type': contentType },
      });
    const invalid = await post('{"name": {"nested": true}}');
    assert.equal(invalid.status, 400);
    assert.match(invalid.json<{ error: string }>().error, /^invalid request: body\/name must be string$/);
    const missing = await post('{}');
    assert.equal(missing.status, 400);
    assert.match(missing.json<{ error: string }>().error, /must have required property 'name'/);
    const badJSON = await post('{"name":');
    assert.equal(badJSON.status, 400);
    assert.deepEqual(badJSON.json(), { error: 'request body is not valid json' });
    const tooLarge = await post(JSON.stringify({ name: 'x'.repeat(2048) }));
    assert.equal(tooLarge.status, 413);
    assert.deepEqual(tooLarge.json(), { error: 'request body too large' });
    const wrongType = await post('name=x', 'application/x-www-form-urlencoded');
    assert.equal(wrongType.status, 415);
    assert.deepEqual(wrongType.json(), { error: 'unsupported content type' });
    const created = await post('{"name":"box"}');
    assert.equal(created.status, 200);
    assert.deepEqual(created.json(), { created: 'box' });
  });

  it('applies the platform timeouts to the listener', () => {
    const raw = server.app.server;
    assert.equal(raw.requestTimeout, 30_000);
    assert.equal(raw.headersTimeout, 30_000);
    assert.equal(raw.keepAliveTimeout, 120_000);
    assert.equal(raw.timeout, 30_000);
  });

  it('reloads its certificate for new connections', async () => {
    const leaf = await pki.issue({ label: 'renewed', commonName: 'renewed.test' });
    server.reloadTLS({ cert: Buffer.from(leaf.cert), key: Buffer.from(leaf.key) });
    const subject = await new Promise<string>((resolve, reject) => {
      const socket = connect(
        { host: '127.0.0.1', port: Number(new URL(base).port), ca: pki.caCert, servername: 'localhost' },
        () => {
          resolve(String(socket.getPeerCertificate().subject.CN));
          socket.end();
        },
      );
      socket.on('error', reject);
    });
    assert.equal(subject, 'renewed.test');
    assert.equal((await get('/v1/public')).status, 200);
  });

  // Last: it closes the server.
  it('drains an in-flight request on close, then refuses new connections', async () => {
    const inflight = get('/v1/slow');
    await slow.entered.promise;
    const closed = server.close();
    slow.release.resolve();
    const res = await inflight;
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { finished: true });
    assert.equal(res.headers.connection, 'close');
    await closed;
    await assert.rejects(get('/v1/public'), { code: 'ECONNREFUSED' });
  });
});
