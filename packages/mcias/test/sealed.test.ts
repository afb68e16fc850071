// The vault against a real MCIAS with a passphrase: restarted without its key the server is
// sealed (every non-exempt REST route 503, every such RPC UNAVAILABLE) until unsealed through
// the API; a wrong passphrase is refused; seal is admin-only; the unseal endpoint is rate-limited;
// a fresh vault cannot be initialised from the network.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Code, ConnectError } from '@connectrpc/connect';
import { create } from '@bufbuild/protobuf';
import { rpcAccess } from '../src/access-table.js';
import { createTestClock, startTestMcias, type TestMcias } from '../src/testing.js';
import { grpcClients } from './grpc-client.js';

describe('sealed vault', () => {
  let m: TestMcias;

  before(async () => {
    m = await startTestMcias({ masterKey: 'passphrase' });
    await m.createAccount({ username: 'hal', password: 'hal-password-123' });
    const token = await m.adminToken();
    assert.equal((await m.request('GET', '/v1/vault/status')).json<{ sealed: boolean }>().sealed, false);
    assert.equal((await m.request('GET', '/v1/accounts', { token })).status, 200);
    m = await m.restart({ withKey: false });
  });
  after(() => m?.cleanup());

  it('reports sealed on the exempt routes', async () => {
    assert.deepEqual((await m.request('GET', '/v1/health')).json(), { status: 'sealed' });
    assert.deepEqual((await m.request('GET', '/v1/vault/status')).json(), { sealed: true });
  });

  it('answers 503 on every non-exempt REST route, before looking at the token', async () => {
    const rows = Object.entries(m.server.access).filter(([key, rule]) => /^[A-Z]+ \//.test(key) && rule.unsealed);
    assert.ok(rows.length > 30);
    for (const [key] of rows) {
      const [method, path] = key.split(' ') as [string, string];
      const url = path.replace(/:(\w+)/g, (_, name: string) => (name === 'id' ? '1' : 'x'));
      const res = await m.request(method, url, {
        token: 'not-even-a-token',
        ...(['POST', 'PUT', 'PATCH'].includes(method) ? { body: {} } : {}),
      });
      assert.equal(res.status, 503, `${key}: ${res.status} ${res.body}`);
      assert.deepEqual(res.json(), { error: 'service is sealed' });
    }
  });

  it('answers UNAVAILABLE on every non-exempt RPC', async () => {
    const grpc = grpcClients(m.grpcUrl, m.caCert);
    try {
      let checked = 0;
      for (const reg of m.server.services) {
        const client = grpc.client(reg.service) as unknown as Record<string, (req: unknown) => Promise<unknown>>;
        for (const method of reg.service.methods) {
          const rule = rpcAccess[`/${reg.service.typeName}/${method.name}`];
          assert.ok(rule, method.name);
          let code: Code | undefined;
          try {
            await client[method.localName]!(create(method.input));
          } catch (err) {
            code = ConnectError.from(err).code;
          }
          if (rule.unsealed) {
            assert.equal(code, Code.Unavailable, `${method.name}`);
            checked++;
          } else {
            assert.notEqual(code, Code.Unavailable, `${method.name} must work while sealed`);
          }
        }
      }
      assert.ok(checked > 30);
    } finally {
      grpc.close();
    }
  });

  it('refuses a wrong passphrase, then unseals with the right one', async () => {
    const wrong = await m.request('POST', '/v1/vault/unseal', { body: { passphrase: 'not-the-passphrase' } });
    assert.equal(wrong.status, 401);
    assert.equal((await m.request('GET', '/v1/vault/status')).json<{ sealed: boolean }>().sealed, true);
    const right = await m.request('POST', '/v1/vault/unseal', { body: { passphrase: m.passphrase } });
    assert.equal(right.status, 200, right.body);
    assert.deepEqual(right.json(), { sealed: false });
    assert.deepEqual((await m.request('GET', '/v1/health')).json(), { status: 'ok' });
    assert.equal(
      (await m.request('POST', '/v1/auth/login', { body: { username: 'hal', password: 'hal-password-123' } })).status,
      200,
    );
    const events = m.server.core.audit.list({ limit: 50 }).map((e) => e.eventType);
    assert.ok(events.includes('unseal_failed'));
    assert.ok(events.includes('vault_unsealed'));
  });

  it('seals through the API (admin only) and the old tokens stop working until unsealed again', async () => {
    const hal = await m.login('hal', 'hal-password-123');
    assert.equal((await m.request('POST', '/v1/vault/seal', { token: hal })).status, 403);
    const admin = await m.adminToken();
    const sealed = await m.request('POST', '/v1/vault/seal', { token: admin });
    assert.equal(sealed.status, 200, sealed.body);
    assert.equal((await m.request('POST', '/v1/token/validate', { body: { token: hal } })).status, 503);
    assert.equal((await m.request('POST', '/v1/vault/unseal', { body: { passphrase: m.passphrase } })).status, 200);
    assert.equal(
      (await m.request('POST', '/v1/token/validate', { body: { token: hal } })).json<{ valid: boolean }>().valid,
      true,
    );
  });
});

describe('unseal edge cases', () => {
  it('rate-limits unseal per client: burst 5, then 429 (frozen clock)', async () => {
    const m = await startTestMcias({
      withKey: false,
      now: createTestClock().now,
      rateLimits: { unseal: { perSecond: 3, burst: 5 } },
    });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await m.request('POST', '/v1/vault/unseal', { body: { passphrase: '' } });
        assert.notEqual(res.status, 429, `attempt ${i + 1}`);
      }
      assert.equal((await m.request('POST', '/v1/vault/unseal', { body: { passphrase: '' } })).status, 429);
    } finally {
      await m.cleanup();
    }
  });

  it('never initialises a fresh vault from the network', async () => {
    const m = await startTestMcias({ withKey: false, masterKey: 'passphrase', admin: false });
    try {
      assert.equal(m.server.core.vault.initialized(), false);
      const res = await m.request('POST', '/v1/vault/unseal', { body: { passphrase: 'attacker-chosen' } });
      assert.equal(res.status, 412, res.body);
      assert.equal(m.server.core.vault.initialized(), false);
    } finally {
      await m.cleanup();
    }
  });
});
