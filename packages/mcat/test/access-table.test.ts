// Default deny: every route MCAT serves is in its one access table, and every row has a route.
// Needs no MCIAS: nothing here logs in.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { missingAccessRules } from '@metacircular/mcdsl';
import { createTestPKI, httpsRequest } from '@metacircular/mcdsl/testing';
import type { TestPKI } from '@metacircular/mcdsl/testing';
import { accessTable, mcatConfigSchema, startMcat } from '../src/index.js';
import type { RunningMcat } from '../src/index.js';

describe('access table and public routes', () => {
  let pki: TestPKI;
  let mcat: RunningMcat;

  before(async () => {
    pki = await createTestPKI();
    const config = mcatConfigSchema.parse({
      server: { listen_addr: '127.0.0.1:0', tls_cert: pki.certPath, tls_key: pki.keyPath },
      mcias: { server_url: 'https://127.0.0.1:1', ca_cert: pki.caPath, service_name: 'mcat' },
      log: { level: 'error' },
    });
    mcat = await startMcat(config);
  });
  after(async () => {
    await mcat?.close();
    await pki?.cleanup();
  });

  it('lists every route, and every listed route exists', async () => {
    const report = await missingAccessRules(mcat.server.app, accessTable);
    assert.deepEqual(report, { unlisted: [], unused: [] });
    assert.deepEqual(Object.keys(accessTable).sort(), [
      'GET /',
      'GET /static/htmx.min.js',
      'GET /v1/health',
      'POST /login',
      'POST /logout',
    ]);
  });

  it('answers health and serves htmx from its own origin', async () => {
    const health = await httpsRequest(`${mcat.url}/v1/health`, { ca: pki.caCert });
    assert.equal(health.status, 200);
    assert.deepEqual(health.json(), { status: 'ok' });
    const htmx = await httpsRequest(`${mcat.url}/static/htmx.min.js`, { ca: pki.caCert });
    assert.equal(htmx.status, 200);
    assert.match(htmx.headers['content-type'] ?? '', /^text\/javascript/);
    assert.ok(htmx.body.includes('htmx'));
  });

  it('answers 404 for anything else', async () => {
    assert.equal((await httpsRequest(`${mcat.url}/admin`, { ca: pki.caCert })).status, 404);
    assert.equal((await httpsRequest(`${mcat.url}/login`, { ca: pki.caCert })).status, 404);
  });

  it('refuses TLS 1.2', async () => {
    const { port } = mcat.address;
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, ca: pki.caCert, maxVersion: 'TLSv1.2' });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (err: Error) => resolve(err.message));
    });
    assert.notEqual(outcome, 'connected');
  });
});
