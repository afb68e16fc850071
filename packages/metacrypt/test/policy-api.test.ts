// Policy rule CRUD through a real Metacrypt (real MCIAS, TLS, SQLite barrier), and rules created
// through the API changing what a non-admin may do on a transit key.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { PolicyService } from '@metacircular/proto/metacrypt/v1/policy_pb';
import { transitModule } from '../src/engines/transit/index.js';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';

interface Rule {
  id: string;
  name: string;
  priority: number;
  effect: string;
  usernames: string[];
  resources: string[];
  actions: string[];
  conditions?: { allowed_sans: string[]; max_ttl: string } | null;
  created_at: string;
  updated_at: string;
}

describe('policy rules over REST and gRPC', () => {
  let mc: TestMetacrypt;
  let alice: string;
  let sessions: Http2SessionManager;
  const rules = (method: string, path = '', body?: unknown, token = mc.adminToken) =>
    mc.request(method, `/v1/policy/rules${path}`, { token, body });
  const encryptAs = (token: string, key = 'app') =>
    mc.request('POST', `/v1/transit/transit/encrypt/${key}`, {
      token,
      body: { plaintext: Buffer.from('hi').toString('base64') },
    });

  before(async () => {
    mc = await startTestMetacrypt({ mounts: [{ name: 'transit', type: 'transit' }], modules: [transitModule], logLevel: 'info' });
    alice = await mc.token('alice', { roles: ['user'] });
    sessions = new Http2SessionManager(mc.grpcUrl, {}, { ca: mc.caCert, minVersion: 'TLSv1.3' });
    for (const name of ['app', 'other']) {
      const res = await mc.request('POST', '/v1/transit/transit/keys', { token: mc.adminToken, body: { name } });
      assert.equal(res.status, 200, res.body);
    }
  });
  after(async () => {
    sessions?.abort();
    await mc?.stop();
  });

  it('creates, reads, lists, updates and deletes rules as admin', async () => {
    const body = {
      name: 'mcp-agent internal certs',
      priority: 100,
      effect: 'allow',
      usernames: ['mcp-agent'],
      account_types: ['system'],
      resources: ['ca/pki/issuer/infra'],
      actions: ['issue', 'renew'],
      conditions: { allowed_sans: ['*.svc.mcp.example.test'], max_ttl: '2160h' },
    };
    const created = await rules('POST', '', body);
    assert.equal(created.status, 200, created.body);
    const rule = created.json<Rule>();
    assert.match(rule.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual([rule.name, rule.priority, rule.effect, rule.actions], [body.name, 100, 'allow', ['issue', 'renew']]);
    assert.deepEqual(rule.conditions?.allowed_sans, ['*.svc.mcp.example.test']);
    assert.ok(rule.created_at);

    assert.deepEqual((await rules('GET', `/${rule.id}`)).json<Rule>(), rule);
    assert.deepEqual(
      (await rules('GET')).json<{ rules: Rule[] }>().rules.map((r) => r.id),
      [rule.id],
    );

    // A rule read back can be edited and sent back whole.
    const updated = await rules('PUT', `/${rule.id}`, { ...rule, priority: 150, actions: ['issue'] });
    assert.equal(updated.status, 200, updated.body);
    assert.deepEqual(
      [updated.json<Rule>().priority, updated.json<Rule>().actions, updated.json<Rule>().id],
      [150, ['issue'], rule.id],
    );

    assert.equal((await rules('DELETE', `/${rule.id}`)).status, 204);
    assert.equal((await rules('GET', `/${rule.id}`)).status, 404);
    assert.equal((await rules('DELETE', `/${rule.id}`)).status, 404);
    assert.deepEqual((await rules('GET')).json<{ rules: Rule[] }>().rules, []);
  });

  it('refuses bad rules with 400 naming the field, and changes nothing', async () => {
    const good = { name: 'x', effect: 'allow', resources: ['transit/**'], actions: ['encrypt'] };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, colour: 'red' }, /colour/],
      [{ ...good, effect: 'perhaps' }, /effect/],
      [{ ...good, effect: undefined }, /effect: is required/],
      [{ ...good, resources: ['transit//x'] }, /resources\[0\]/],
      [{ ...good, actions: ['encrpyt'] }, /actions\[0\]: is not a known action/],
      [{ ...good, conditions: { max_ttl: 'soon' } }, /conditions\.max_ttl/],
      [{ ...good, conditions: { allowed_sans: ['web*.example.test'] } }, /conditions\.allowed_sans\[0\]/],
    ];
    for (const [body, field] of cases) {
      const res = await rules('POST', '', body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.body}`);
      assert.match(res.json<{ error: string }>().error, field);
    }
    assert.equal((await rules('PUT', '/8d0e5d0c-0000-4000-8000-000000000000', good)).status, 404);
    assert.deepEqual((await rules('GET')).json<{ rules: Rule[] }>().rules, []);
  });

  it('is admin only: 403 for a user, 401 without a token, on every route', async () => {
    const id = '8d0e5d0c-0000-4000-8000-000000000000';
    const calls: Array<[string, string, unknown]> = [
      ['GET', '', undefined],
      ['POST', '', { name: 'x', effect: 'allow', resources: ['**'], actions: ['*'] }],
      ['GET', `/${id}`, undefined],
      ['PUT', `/${id}`, { name: 'x', effect: 'allow', resources: ['**'], actions: ['*'] }],
      ['DELETE', `/${id}`, undefined],
    ];
    for (const [method, path, body] of calls) {
      assert.equal((await rules(method, path, body, alice)).status, 403, `${method} ${path}`);
      assert.equal((await mc.request(method, `/v1/policy/rules${path}`, { body })).status, 401, `${method} ${path}`);
    }
    const client = createClient(PolicyService, createGrpcTransport({ baseUrl: mc.grpcUrl, sessionManager: sessions }));
    await assert.rejects(
      client.listRules({}, { headers: { authorization: `Bearer ${alice}` } }),
      (err: unknown) => err instanceof ConnectError && err.code === Code.PermissionDenied,
    );
    const listed = await client.listRules({}, { headers: { authorization: `Bearer ${mc.adminToken}` } });
    assert.ok(Array.isArray(listed.rules));
  });

  it('a rule created through the API changes what a non-admin may do', async () => {
    const denied = await encryptAs(alice);
    assert.equal(denied.status, 403);
    assert.match(
      denied.json<{ error: string }>().error,
      /no policy rule allows action "encrypt" on "transit\/transit\/keys\/app"/,
    );

    const allow = (
      await rules('POST', '', {
        name: 'alice encrypts with app',
        priority: 10,
        effect: 'allow',
        usernames: ['alice'],
        resources: ['transit/transit/keys/app'],
        actions: ['encrypt'],
      })
    ).json<Rule>();
    assert.equal((await encryptAs(alice)).status, 200);
    assert.equal((await encryptAs(alice, 'other')).status, 403, 'the rule names one key');

    // A deny at a higher priority wins; deleting it restores the allow.
    const deny = (
      await rules('POST', '', {
        name: 'freeze alice',
        priority: 20,
        effect: 'deny',
        usernames: ['alice'],
        resources: ['transit/**'],
        actions: ['*'],
      })
    ).json<Rule>();
    const frozen = await encryptAs(alice);
    assert.equal(frozen.status, 403);
    assert.match(frozen.json<{ error: string }>().error, /denied by policy rule "freeze alice"/);
    assert.equal((await rules('DELETE', `/${deny.id}`)).status, 204);
    assert.equal((await encryptAs(alice)).status, 200);

    // Narrowing the allow through PUT takes effect at once.
    assert.equal((await rules('PUT', `/${allow.id}`, { ...allow, usernames: ['bob'] })).status, 200);
    assert.equal((await encryptAs(alice)).status, 403);
    assert.equal((await rules('DELETE', `/${allow.id}`)).status, 204);
  });

  it('keeps rules in the barrier: 503 while sealed, back after unseal', async () => {
    const kept = (
      await rules('POST', '', {
        name: 'survives restart',
        effect: 'allow',
        usernames: ['alice'],
        resources: ['transit/transit/keys/app'],
        actions: ['encrypt'],
      })
    ).json<Rule>();
    await mc.restart();
    assert.equal((await rules('GET')).status, 503);
    await mc.unseal();
    assert.deepEqual(
      (await rules('GET')).json<{ rules: Rule[] }>().rules.map((r) => r.id),
      [kept.id],
    );
    assert.equal((await encryptAs(await mc.token('alice'))).status, 200);
  });
});
