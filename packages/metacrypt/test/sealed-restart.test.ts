// After a restart Metacrypt is sealed: every REST route and every RPC marked `unsealed` in the
// access table (the core's, the policy service's and every engine module's) answers 503 /
// UNAVAILABLE before the token is looked at, the public ones still work, and unsealing brings
// the mounts back with their data.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';
import { bearer, grpcClients } from './core-grpc-client.js';

describe('sealed after restart', () => {
  let mc: TestMetacrypt;

  before(async () => {
    mc = await startTestMetacrypt();
    await mc.restart();
  });
  after(() => mc?.stop());

  it('reports sealed on the public routes', async () => {
    assert.deepEqual((await mc.request('GET', '/v1/status')).json<{ state: string }>().state, 'sealed');
    assert.equal((await mc.request('GET', '/v1/health')).status, 200);
  });

  it('answers 503 on every `unsealed` REST route, whatever the token', async () => {
    const rows = Object.entries(mc.server.access).filter(([key, rule]) => /^[A-Z]+ \//.test(key) && rule.unsealed);
    assert.ok(rows.length >= 6, `only ${rows.length} sealed-required REST rows`);
    for (const [key] of rows) {
      const [method, path] = key.split(' ') as [string, string];
      const url = path.replace(/:(\w+)/g, 'x').replace(/\*/g, 'x');
      for (const token of [mc.adminToken, 'not-a-token', undefined]) {
        const res = await mc.request(method, url, {
          ...(token ? { token } : {}),
          ...(['POST', 'PUT', 'PATCH'].includes(method) ? { body: {} } : {}),
        });
        assert.equal(res.status, 503, `${key}: ${res.status} ${res.body}`);
      }
    }
  });

  it('answers UNAVAILABLE on every `unsealed` RPC, and not on the others', async () => {
    const grpc = grpcClients(mc.grpcUrl, mc.caCert);
    try {
      let checked = 0;
      for (const reg of mc.server.services) {
        const client = grpc.client(reg.service) as unknown as Record<string, (req: unknown, o: unknown) => Promise<unknown>>;
        for (const method of reg.service.methods) {
          if (method.methodKind !== 'unary') continue;
          const rule = mc.server.access[`/${reg.service.typeName}/${method.name}`];
          assert.ok(rule, `${method.name} has an access rule`);
          // these change state (Logout would revoke the admin token); their access is tested elsewhere
          if (['Init', 'Unseal', 'Snapshot', 'Logout'].includes(method.name)) continue;
          let code: Code | undefined;
          try {
            await client[method.localName]!(create(method.input), bearer(mc.adminToken));
          } catch (err) {
            code = ConnectError.from(err).code;
          }
          if (rule.unsealed) {
            assert.equal(code, Code.Unavailable, `${reg.service.typeName}/${method.name}`);
            checked++;
          } else {
            assert.notEqual(code, Code.Unavailable, `${method.name} must work while sealed`);
          }
        }
      }
      assert.ok(checked >= 5, `only ${checked} sealed-required RPCs`);
    } finally {
      grpc.close();
    }
  });

  it('takes a snapshot while sealed (admin only): it copies ciphertext', async () => {
    assert.equal((await mc.request('POST', '/v1/snapshot', { body: {} })).status, 401);
    const res = await mc.request('POST', '/v1/snapshot', { token: mc.adminToken, body: {} });
    assert.equal(res.status, 200, res.body);
    const { success, path } = res.json<{ success: boolean; path: string }>();
    assert.equal(success, true);
    assert.ok(path.startsWith(mc.dir) && existsSync(path), path);
  });

  it('unseals with the password and serves again', async () => {
    await mc.unseal();
    assert.equal((await mc.request('GET', '/v1/status')).json<{ state: string }>().state, 'unsealed');
    assert.equal((await mc.request('GET', '/v1/mounts', { token: mc.adminToken })).status, 200);
  });
});
