// Response headers a handler sets on ctx.responseHeader reach the REST client, as they reach a
// gRPC client: on a normal answer, on an empty (204) answer and when the handler throws.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EchoService } from '@metacircular/proto/mcdsl/v1/echo_pb';
import type { AccessTable } from '../access/index.js';
import { NotFoundError } from '../errors/index.js';
import { createHttpServer, type HttpServer } from '../httpserver/index.js';
import { createTestPKI, type TestPKI } from '../testing/index.js';
import { registerTranscodedRoutes, withTranscodedAccess } from './rest-transcoding.js';
import { registerService } from './service-registration.js';

const echo = registerService(EchoService, {
  getEcho(req, ctx) {
    ctx.responseHeader.set('x-request-id', `get-${req.id}`);
    if (req.id === 'missing') throw new NotFoundError('echo "missing" not found');
    return { id: req.id };
  },
  createEcho: (req) => ({ id: req.id }),
  updateEchoNote: (req) => ({ id: req.id }),
  clearEcho(req, ctx) {
    // the `{id}:clear` template must fill id with what precedes the verb
    ctx.responseHeader.set('x-request-id', `cleared-${req.id}`);
    return {};
  },
  deleteEcho: () => ({}),
});

const access: AccessTable = {
  '/mcdsl.v1.EchoService/GetEcho': { level: 'public' },
  '/mcdsl.v1.EchoService/CreateEcho': { level: 'public' },
  '/mcdsl.v1.EchoService/UpdateEchoNote': { level: 'public' },
  '/mcdsl.v1.EchoService/ClearEcho': { level: 'public' },
  '/mcdsl.v1.EchoService/DeleteEcho': { level: 'public' },
};

describe('grpcserver: REST response headers from ctx.responseHeader', () => {
  let pki: TestPKI;
  let http: HttpServer;

  before(async () => {
    pki = await createTestPKI();
    http = createHttpServer({
      tls: { cert: Buffer.from(pki.cert), key: Buffer.from(pki.key) },
      access: withTranscodedAccess(access, [echo]),
    });
    registerTranscodedRoutes(http.app, [echo]);
  });

  after(async () => {
    await http?.close();
    await pki?.cleanup();
  });

  it('sends them with the answer, an empty answer and an error', async () => {
    const ok = await http.app.inject({ method: 'GET', url: '/v1/echo/a' });
    assert.deepEqual([ok.statusCode, ok.headers['x-request-id']], [200, 'get-a']);
    const empty = await http.app.inject({ method: 'POST', url: '/v1/echo/b:clear' });
    assert.deepEqual([empty.statusCode, empty.headers['x-request-id']], [204, 'cleared-b']);
    const failed = await http.app.inject({ method: 'GET', url: '/v1/echo/missing' });
    assert.deepEqual([failed.statusCode, failed.headers['x-request-id']], [404, 'get-missing']);
  });

  it('sends none when the handler set none', async () => {
    const res = await http.app.inject({ method: 'POST', url: '/v1/echo', payload: { id: 'c' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['x-request-id'], undefined);
  });
});
