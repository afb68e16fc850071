// One log line per request: debug normally, warn for a 5xx, never the headers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpServer, type HttpServer } from '../src/httpserver/index.js';
import { createLogger } from '../src/log/index.js';
import { createTestPKI, httpsRequest, type TestPKI } from '../src/testing/index.js';

function capture(level: 'debug' | 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    service: 'test',
    level,
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { logger, lines };
}

describe('httpserver request log', () => {
  let pki: TestPKI;
  const servers: HttpServer[] = [];
  before(async () => {
    pki = await createTestPKI();
  });
  after(async () => {
    for (const s of servers) await s.close();
    await pki.cleanup();
  });

  async function serve(level: 'debug' | 'info') {
    const { logger, lines } = capture(level);
    const server = createHttpServer({
      tls: { cert: Buffer.from(pki.cert), key: Buffer.from(pki.key) },
      logger,
      access: { 'GET /ok': { level: 'public' }, 'GET /boom': { level: 'public' } },
    });
    server.app.get('/ok', () => ({ ok: true }));
    server.app.get('/boom', () => {
      throw new Error('kaboom');
    });
    servers.push(server);
    const { port } = await server.listen('127.0.0.1:0');
    const get = (path: string) =>
      httpsRequest(`https://127.0.0.1:${port}${path}`, {
        ca: pki.caCert,
        headers: { authorization: 'Bearer secret-token-value' },
      });
    return { lines, get };
  }

  it('logs each request once at debug level, without headers', async () => {
    const { lines, get } = await serve('debug');
    assert.equal((await get('/ok')).status, 200);
    const requests = lines.filter((l) => l['msg'] === 'request');
    assert.equal(requests.length, 1);
    assert.deepEqual(
      { method: requests[0]!['method'], url: requests[0]!['url'], status: requests[0]!['status'] },
      { method: 'GET', url: '/ok', status: 200 },
    );
    assert.ok(!JSON.stringify(lines).includes('secret-token-value'));
  });

  it('at info level logs nothing for a success and a warning for a server error', async () => {
    const { lines, get } = await serve('info');
    assert.equal((await get('/ok')).status, 200);
    assert.equal(lines.filter((l) => l['msg'] === 'request').length, 0);
    assert.equal((await get('/boom')).status, 500);
    const requests = lines.filter((l) => l['msg'] === 'request');
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!['status'], 500);
    assert.ok(!JSON.stringify(lines).includes('secret-token-value'));
  });
});
