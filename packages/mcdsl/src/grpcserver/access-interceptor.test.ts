// The onRefused hook of createGrpcServer: every call the access check refuses (no rule, sealed,
// no token, bad token, guest, not admin) is reported exactly once with the procedure, the peer
// address, the McError and the caller when the token was valid; allowed calls and handler errors
// are not reported, and a throwing listener never changes what the caller gets.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Code, ConnectError, createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { EchoService } from '@metacircular/proto/mcdsl/v1/echo_pb';
import type { AccessTable, Caller } from '../access/index.js';
import { NotFoundError, UnauthenticatedError } from '../errors/index.js';
import { createTestPKI, type TestPKI } from '../testing/index.js';
import type { RefusalInfo } from './access-interceptor.js';
import { createGrpcServer, type GrpcServer } from './grpc-server.js';
import { registerService } from './service-registration.js';

const caller = (username: string, over: Partial<Caller> = {}): Caller => ({
  username,
  roles: [],
  accountType: 'human',
  isAdmin: false,
  isGuest: false,
  token: `${username}-token`,
  ...over,
});
const callers: Record<string, Caller> = {
  'root-token': caller('root', { isAdmin: true }),
  'alice-token': caller('alice'),
  'gus-token': caller('gus', { isGuest: true }),
};
const authenticate = (token: string): Promise<Caller> => {
  const c = callers[token];
  return c ? Promise.resolve(c) : Promise.reject(new UnauthenticatedError('invalid or expired token'));
};

const echo = registerService(EchoService, {
  getEcho(req) {
    if (req.id === 'missing') throw new NotFoundError('echo "missing" not found');
    return { id: req.id };
  },
  createEcho: (req) => ({ id: req.id }),
  updateEchoNote: (req) => ({ id: req.id }),
  clearEcho: () => ({}),
  deleteEcho: () => ({}),
});

const access: AccessTable = {
  '/mcdsl.v1.EchoService/GetEcho': { level: 'public' },
  '/mcdsl.v1.EchoService/CreateEcho': { level: 'authenticated' },
  '/mcdsl.v1.EchoService/UpdateEchoNote': { level: 'admin' },
  '/mcdsl.v1.EchoService/ClearEcho': { level: 'public', unsealed: true },
  // DeleteEcho is missing: default deny.
};

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

async function codeOf(call: Promise<unknown>): Promise<Code | 'ok'> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

describe('grpcserver: onRefused', () => {
  let pki: TestPKI;
  let server: GrpcServer;
  let sessions: Http2SessionManager;
  let client: Client<typeof EchoService>;
  let sealed = false;
  let throwInListener = false;
  const refusals: RefusalInfo[] = [];
  const take = (): Array<[string, string, string | undefined]> =>
    refusals.splice(0).map((r) => [r.procedure.split('/')[2]!, r.error.category, r.caller?.username]);

  before(async () => {
    pki = await createTestPKI();
    server = createGrpcServer({
      tls: { cert: pki.cert, key: pki.key },
      services: [echo],
      access,
      authenticate,
      isSealed: () => sealed,
      onRefused: (info) => {
        refusals.push(info);
        if (throwInListener) throw new Error('audit store is down');
      },
    });
    const { port } = await server.listen('127.0.0.1:0');
    const url = `https://localhost:${port}`;
    sessions = new Http2SessionManager(url, {}, { ca: pki.caCert, minVersion: 'TLSv1.3' });
    client = createClient(EchoService, createGrpcTransport({ baseUrl: url, sessionManager: sessions }));
  });

  after(async () => {
    sessions?.abort();
    await server?.close();
    await pki?.cleanup();
  });

  it('reports each refusal once, with the caller when the token was valid', async () => {
    assert.equal(await codeOf(client.createEcho({ id: 'a' })), Code.Unauthenticated);
    assert.equal(await codeOf(client.createEcho({ id: 'a' }, bearer('forged'))), Code.Unauthenticated);
    assert.equal(await codeOf(client.createEcho({ id: 'a' }, bearer('gus-token'))), Code.PermissionDenied);
    assert.equal(await codeOf(client.updateEchoNote({ id: 'a' }, bearer('alice-token'))), Code.PermissionDenied);
    assert.equal(await codeOf(client.deleteEcho({ id: 'a' }, bearer('root-token'))), Code.PermissionDenied);
    const peers = refusals.map((r) => r.peerAddress);
    assert.deepEqual(take(), [
      ['CreateEcho', 'unauthenticated', undefined],
      ['CreateEcho', 'unauthenticated', undefined],
      ['CreateEcho', 'forbidden', 'gus'],
      ['UpdateEchoNote', 'forbidden', 'alice'],
      ['DeleteEcho', 'forbidden', undefined],
    ]);
    for (const peer of peers) assert.match(peer ?? '', /127\.0\.0\.1$/);
  });

  it('reports a call refused while sealed', async () => {
    sealed = true;
    try {
      assert.equal(await codeOf(client.clearEcho({ id: 'a' })), Code.Unavailable);
    } finally {
      sealed = false;
    }
    assert.deepEqual(take(), [['ClearEcho', 'sealed', undefined]]);
  });

  it('does not report allowed calls or errors thrown by handlers', async () => {
    assert.equal(await codeOf(client.getEcho({ id: 'x' })), 'ok');
    assert.equal(await codeOf(client.getEcho({ id: 'missing' })), Code.NotFound);
    assert.equal(await codeOf(client.updateEchoNote({ id: 'a' }, bearer('root-token'))), 'ok');
    assert.equal(await codeOf(client.clearEcho({ id: 'a' })), 'ok');
    assert.deepEqual(take(), []);
  });

  it('a throwing listener does not change the answer', async () => {
    throwInListener = true;
    try {
      assert.equal(await codeOf(client.createEcho({ id: 'a' })), Code.Unauthenticated);
      assert.equal(await codeOf(client.updateEchoNote({ id: 'a' }, bearer('alice-token'))), Code.PermissionDenied);
    } finally {
      throwInListener = false;
    }
    assert.equal(take().length, 2);
  });
});
