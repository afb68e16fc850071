import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { htmxPath, registerStatic, serveAsset } from './static-assets.js';

describe('serveAsset', () => {
  const app = Fastify();
  let loads = 0;
  serveAsset(app, '/static/a.css', 'text/css; charset=utf-8', 'body { margin: 0; }');
  serveAsset(app, '/static/flaky.js', 'text/javascript; charset=utf-8', () => {
    loads += 1;
    return loads === 1 ? Promise.reject(new Error('not yet')) : Promise.resolve(Buffer.from('ok();'));
  });
  registerStatic(app);
  after(() => app.close());

  it('serves fixed content with an ETag and answers 304 when it matches', async () => {
    const res = await app.inject({ method: 'GET', url: '/static/a.css' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, 'body { margin: 0; }');
    assert.equal(res.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'public, max-age=3600');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    const etag = String(res.headers.etag);
    const again = await app.inject({ method: 'GET', url: '/static/a.css', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
  });

  it('retries a failed load on the next request and then keeps the result', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/static/flaky.js' })).statusCode, 500);
    assert.equal((await app.inject({ method: 'GET', url: '/static/flaky.js' })).body, 'ok();');
    assert.equal((await app.inject({ method: 'GET', url: '/static/flaky.js' })).body, 'ok();');
    assert.equal(loads, 2);
  });

  it('serves htmx from the installed package', async () => {
    const res = await app.inject({ method: 'GET', url: htmxPath });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /htmx/);
  });
});
