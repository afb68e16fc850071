import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { registerHealthRoute, healthAccess } from '../src/health/index.js';
import { createHttpServer, missingAccessRules } from '../src/httpserver/index.js';
import type { HttpServer } from '../src/httpserver/index.js';
import { UnavailableError } from '../src/errors/index.js';
import { loadTLSFiles } from '../src/tls/index.js';
import { createTestPKI, httpsRequest } from '../src/testing/index.js';
import type { TestPKI } from '../src/testing/index.js';

describe('GET /v1/health', () => {
  let pki: TestPKI;
  let server: HttpServer;
  let base: string;
  let failure: Error | undefined;

  before(async () => {
    pki = await createTestPKI();
    server = createHttpServer({
      tls: await loadTLSFiles({ cert: pki.certPath, key: pki.keyPath }),
      access: { ...healthAccess },
      isSealed: () => true,
    });
    registerHealthRoute(server.app, {
      check: () => {
        if (failure) throw failure;
      },
    });
    const { port } = await server.listen('127.0.0.1:0');
    base = `https://127.0.0.1:${port}`;
  });
  after(async () => {
    await server.close();
    await pki.cleanup();
  });

  it('answers ok without a token, even while sealed', async () => {
    failure = undefined;
    const res = await httpsRequest(`${base}/v1/health`, { ca: pki.caCert });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  it('answers 503 with the McError message when the check fails', async () => {
    failure = new UnavailableError('database unavailable');
    const res = await httpsRequest(`${base}/v1/health`, { ca: pki.caCert });
    assert.equal(res.status, 503);
    assert.deepEqual(res.json(), { status: 'unhealthy', error: 'database unavailable' });
  });

  it('hides the details of an unexpected failure', async () => {
    failure = new Error('SQLITE_CORRUPT: /srv/mcias/mcias.db');
    const res = await httpsRequest(`${base}/v1/health`, { ca: pki.caCert });
    assert.equal(res.status, 503);
    assert.deepEqual(res.json(), { status: 'unhealthy', error: 'health check failed' });
  });

  it('is fully covered by healthAccess', async () => {
    assert.deepEqual(await missingAccessRules(server.app, healthAccess), { unlisted: [], unused: [] });
  });
});
