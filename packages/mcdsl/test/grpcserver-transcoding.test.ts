// One handler, two surfaces: the same EchoService implementation is served over gRPC (called here
// with @grpc/grpc-js, a client from another stack) and over its google.api.http REST mapping
// (called with plain HTTPS), and both must give the same result and the same access decisions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { EchoService, type EchoRequest } from '@metacircular/proto/mcdsl/v1/echo_pb';
import type { HandlerContext } from '@connectrpc/connect';
import {
  callerOf,
  peerAddressOf,
  createGrpcServer,
  registerService,
  registerTranscodedRoutes,
  grpcHealthService,
  grpcHealthAccess,
  withTranscodedAccess,
  type GrpcServer,
} from '../src/grpcserver/index.js';
import { createHttpServer, type HttpServer } from '../src/httpserver/index.js';
import { NotFoundError, RateLimitedError, UnauthenticatedError } from '../src/errors/index.js';
import type { Interceptor } from '@connectrpc/connect';
import type { AccessTable, Caller } from '../src/access/index.js';
import { createTestPKI, httpsRequest, type TestPKI } from '../src/testing/index.js';

// The .proto sources, found from this file whether it runs from src (tsx) or from dist.
const protoRoot = [new URL('../../../proto', import.meta.url), new URL('../../../../proto', import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((dir) => existsSync(`${dir}/mcdsl/v1/echo.proto`))!;

const callers: Record<string, Caller> = {
  'admin-token': {
    username: 'root',
    roles: ['admin'],
    accountType: 'human',
    isAdmin: true,
    isGuest: false,
    token: 'admin-token',
  },
  'user-token': { username: 'alice', roles: ['user'], accountType: 'human', isAdmin: false, isGuest: false, token: 'user-token' },
  'guest-token': { username: 'gus', roles: ['guest'], accountType: 'human', isAdmin: false, isGuest: true, token: 'guest-token' },
};
// The unit boundary of mcdsl: tokens are resolved by a table here; MCIAS's own tests use the real thing.
const authenticate = (token: string) => {
  const caller = callers[token];
  return caller ? Promise.resolve(caller) : Promise.reject(new UnauthenticatedError('invalid or expired token'));
};

const reply = (req: EchoRequest, ctx: HandlerContext) => {
  const { id, text, count, tags, loud, note, since } = req;
  return { id, text, count, tags, loud, note, since, caller: callerOf(ctx)?.username ?? '' };
};

const echo = registerService(EchoService, {
  getEcho(req, ctx) {
    if (req.id === 'missing') throw new NotFoundError('echo "missing" not found');
    if (req.id === 'peer') return { id: req.id, text: peerAddressOf(ctx) ?? '' };
    return reply(req, ctx);
  },
  createEcho: reply,
  updateEchoNote(req, ctx) {
    return { id: req.id, note: req.note, caller: callerOf(ctx)?.username ?? '' };
  },
  clearEcho() {
    return {};
  },
  deleteEcho() {
    return {};
  },
});

const access: AccessTable = {
  ...grpcHealthAccess,
  '/mcdsl.v1.EchoService/GetEcho': { level: 'public' },
  '/mcdsl.v1.EchoService/CreateEcho': { level: 'authenticated' },
  '/mcdsl.v1.EchoService/UpdateEchoNote': { level: 'admin' },
  '/mcdsl.v1.EchoService/ClearEcho': { level: 'public' },
  // DeleteEcho is deliberately missing: default deny must refuse it on both surfaces.
};

function withoutNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
}

type GrpcResult = { err: grpc.ServiceError | null; res: Record<string, unknown> | undefined };

describe('grpcserver: gRPC and REST transcoding from one handler', () => {
  let pki: TestPKI;
  let grpcServer: GrpcServer;
  let httpServer: HttpServer;
  let restBase: string;
  let client: grpc.Client &
    Record<string, (req: unknown, md: grpc.Metadata, cb: (e: grpc.ServiceError | null, r: unknown) => void) => void>;
  let health: grpc.Client & Record<string, (req: unknown, cb: (e: grpc.ServiceError | null, r: unknown) => void) => void>;

  before(async () => {
    pki = await createTestPKI();
    const tls = { cert: Buffer.from(pki.cert), key: Buffer.from(pki.key) };
    const services = [echo, grpcHealthService()];
    // An extra interceptor after the access check: the 3rd ClearEcho call and later are refused.
    let clears = 0;
    const limit: Interceptor = (next) => (req) => {
      if (req.method.name === 'ClearEcho' && ++clears > 2) throw new RateLimitedError();
      return next(req);
    };
    grpcServer = createGrpcServer({ tls, services, access, authenticate, interceptors: [limit] });
    const g = await grpcServer.listen('127.0.0.1:0');
    httpServer = createHttpServer({ tls, access: withTranscodedAccess(access, services), authenticate });
    registerTranscodedRoutes(httpServer.app, services);
    const h = await httpServer.listen('127.0.0.1:0');
    restBase = `https://127.0.0.1:${h.port}`;

    const def = protoLoader.loadSync(['mcdsl/v1/echo.proto', 'grpc/health/v1/health.proto'], {
      includeDirs: [protoRoot],
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      arrays: true,
    });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      mcdsl: { v1: { EchoService: grpc.ServiceClientConstructor } };
      grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
    };
    const creds = grpc.credentials.createSsl(Buffer.from(pki.caCert));
    client = new pkg.mcdsl.v1.EchoService(`localhost:${g.port}`, creds) as typeof client;
    health = new pkg.grpc.health.v1.Health(`localhost:${g.port}`, creds) as typeof health;
  });

  after(async () => {
    client?.close();
    health?.close();
    await grpcServer?.close();
    await httpServer?.close();
    await pki?.cleanup();
  });

  function callGrpc(method: string, req: unknown, token?: string): Promise<GrpcResult> {
    const md = new grpc.Metadata();
    if (token) md.set('authorization', `Bearer ${token}`);
    return new Promise((resolve) => {
      // grpc-js reports an unset message field as null where proto JSON leaves it out.
      client[method]!(req, md, (err, res) =>
        resolve({ err, res: res ? withoutNulls(res as Record<string, unknown>) : undefined }),
      );
    });
  }

  function rest(method: string, path: string, opts: { token?: string; body?: object } = {}) {
    return httpsRequest(`${restBase}${path}`, {
      ca: pki.caCert,
      method,
      ...(opts.token ? { headers: { authorization: `Bearer ${opts.token}` } } : {}),
      ...(opts.body ? { body: opts.body } : {}),
    });
  }

  it('GET with path and query parameters gives the same result as the RPC', async () => {
    const req = {
      id: 'a1',
      text: 'hello',
      count: 3,
      tags: ['x', 'y'],
      loud: true,
      note: { author: 'ann', at_unix: '1700000000000' },
    };
    const viaGrpc = await callGrpc('GetEcho', req);
    assert.equal(viaGrpc.err, null);
    const viaRest = await rest(
      'GET',
      '/v1/echo/a1?text=hello&count=3&tags=x&tags=y&loud=true&note.author=ann&note.at_unix=1700000000000',
    );
    assert.equal(viaRest.status, 200, viaRest.body);
    assert.deepEqual(viaRest.json(), viaGrpc.res);
    assert.deepEqual(viaRest.json(), { ...req, caller: '' });
  });

  it('POST with body "*" gives the same result and sees the same caller', async () => {
    const req = { id: 'b2', text: 'made', count: 7, tags: ['t'], loud: false, note: { author: 'bob', at_unix: '5' } };
    const viaGrpc = await callGrpc('CreateEcho', req, 'user-token');
    assert.equal(viaGrpc.err, null);
    const viaRest = await rest('POST', '/v1/echo', { token: 'user-token', body: req });
    assert.equal(viaRest.status, 200, viaRest.body);
    assert.deepEqual(viaRest.json(), viaGrpc.res);
    assert.equal(viaRest.json<{ caller: string }>().caller, 'alice');
  });

  it('PATCH with a body field and a path variable maps both', async () => {
    const viaRest = await rest('PATCH', '/v1/echo/c3/note', { token: 'admin-token', body: { author: 'carol', at_unix: '9' } });
    assert.equal(viaRest.status, 200, viaRest.body);
    const viaGrpc = await callGrpc('UpdateEchoNote', { id: 'c3', note: { author: 'carol', at_unix: '9' } }, 'admin-token');
    assert.deepEqual(viaRest.json(), viaGrpc.res);
    assert.deepEqual(viaRest.json<{ note: unknown }>().note, { author: 'carol', at_unix: '9' });
  });

  const denials: Array<[string, string, string, object | undefined, string | undefined, number, grpc.status]> = [
    ['no token on an authenticated RPC', 'CreateEcho', 'POST /v1/echo', {}, undefined, 401, grpc.status.UNAUTHENTICATED],
    ['a bad token', 'CreateEcho', 'POST /v1/echo', {}, 'forged', 401, grpc.status.UNAUTHENTICATED],
    ['a guest', 'CreateEcho', 'POST /v1/echo', {}, 'guest-token', 403, grpc.status.PERMISSION_DENIED],
    [
      'a non-admin on an admin RPC',
      'UpdateEchoNote',
      'PATCH /v1/echo/z/note',
      {},
      'user-token',
      403,
      grpc.status.PERMISSION_DENIED,
    ],
    [
      'an RPC missing from the access table, even for an admin',
      'DeleteEcho',
      'DELETE /v1/echo/z',
      undefined,
      'admin-token',
      403,
      grpc.status.PERMISSION_DENIED,
    ],
  ];
  for (const [name, rpc, route, body, token, httpStatus, grpcCode] of denials) {
    it(`refuses ${name} on both surfaces`, async () => {
      const viaGrpc = await callGrpc(rpc, { id: 'z' }, token);
      assert.equal(viaGrpc.err?.code, grpcCode);
      const [method, path] = route.split(' ') as [string, string];
      const viaRest = await rest(method, path, { ...(token ? { token } : {}), ...(body ? { body } : {}) });
      assert.equal(viaRest.status, httpStatus);
      assert.ok(viaRest.json<{ error: string }>().error.length > 0);
    });
  }

  it('maps a domain error to the same category on both surfaces', async () => {
    const viaGrpc = await callGrpc('GetEcho', { id: 'missing' });
    assert.equal(viaGrpc.err?.code, grpc.status.NOT_FOUND);
    assert.equal(viaGrpc.err?.details, 'echo "missing" not found');
    const viaRest = await rest('GET', '/v1/echo/missing');
    assert.equal(viaRest.status, 404);
    assert.deepEqual(viaRest.json(), { error: 'echo "missing" not found' });
  });

  it('rejects bad REST input with 400 and a message naming the field', async () => {
    const unknownField = await rest('POST', '/v1/echo', { token: 'user-token', body: { id: 'x', colour: 'red' } });
    assert.equal(unknownField.status, 400);
    assert.match(unknownField.json<{ error: string }>().error, /colour/);
    const badBool = await rest('GET', '/v1/echo/x?loud=maybe');
    assert.equal(badBool.status, 400);
    assert.match(badBool.json<{ error: string }>().error, /loud/);
    const badNumber = await rest('GET', '/v1/echo/x?count=lots');
    assert.equal(badNumber.status, 400);
    const unknownParam = await rest('GET', '/v1/echo/x?nope=1');
    assert.equal(unknownParam.status, 400);
    assert.match(unknownParam.json<{ error: string }>().error, /nope/);
  });

  it('maps a timestamp query parameter, a custom verb, and an empty response to 204', async () => {
    const withTime = await rest('GET', '/v1/echo/t1?since=2026-11-30T01:02:03Z');
    assert.equal(withTime.status, 200, withTime.body);
    assert.equal(withTime.json<{ since: string }>().since, '2026-11-30T01:02:03Z');
    const cleared = await rest('POST', '/v1/echo/t1:clear');
    assert.equal(cleared.status, 204, cleared.body);
    assert.equal(cleared.body, '');
    const viaGrpc = await callGrpc('ClearEcho', { id: 't1' });
    assert.equal(viaGrpc.err, null);
  });

  it('gives handlers the TCP peer address on both surfaces', async () => {
    const viaGrpc = await callGrpc('GetEcho', { id: 'peer' });
    assert.equal(viaGrpc.res?.['text'], '127.0.0.1');
    const viaRest = await rest('GET', '/v1/echo/peer');
    assert.equal(viaRest.json<{ text: string }>().text, '127.0.0.1');
  });

  it('runs extra interceptors after the access check and maps RateLimitedError', async () => {
    // ClearEcho was called once over gRPC above; one more passes, then the limit refuses.
    assert.equal((await callGrpc('ClearEcho', { id: 'x' })).err, null);
    const refused = await callGrpc('ClearEcho', { id: 'x' });
    assert.equal(refused.err?.code, grpc.status.RESOURCE_EXHAUSTED);
  });

  it('answers the standard gRPC health check', async () => {
    const res = await new Promise<{ status: string }>((resolve, reject) => {
      health['Check']!({ service: '' }, (err, r) => (err ? reject(err) : resolve(r as { status: string })));
    });
    assert.equal(res.status, 'SERVING');
  });
});
