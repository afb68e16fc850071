// The user-to-user engine through a real Metacrypt (real MCIAS, TLS, SQLite barrier): REST and
// gRPC, policy, recipients-only decrypt (admins included), rotation, and what reaches the
// database and the log.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { UserService } from '@metacircular/proto/metacrypt/v1/user_pb';
import { userModule } from '../src/engines/user/index.js';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';

// A marker that must never reach the database or the log.
const secret = 'u2u-plaintext-marker-5b1d-never-stored';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

interface Key {
  username: string;
  algorithm: string;
  public_key: string;
  version: number;
  created_at: string;
}

describe('user-to-user engine over REST and gRPC', () => {
  let mc: TestMetacrypt;
  let sessions: Http2SessionManager;
  const tokens: Record<string, string> = {};
  const call = (method: string, path: string, who: string, body?: unknown) =>
    mc.request(method, `/v1/user/u2u${path}`, { token: who === 'admin' ? mc.adminToken : tokens[who], body });
  const encrypt = async (who: string, recipients: string[], text: string) => {
    const res = await call('POST', '/encrypt', who, { recipients, plaintext: b64(text) });
    assert.equal(res.status, 200, res.body);
    return res.json<{ envelope: string; message_id: string }>();
  };
  const decrypt = (who: string, envelope: string) => call('POST', '/decrypt', who, { envelope });

  before(async () => {
    mc = await startTestMetacrypt({ mounts: [{ name: 'u2u', type: 'user' }], modules: [userModule], logLevel: 'debug' });
    for (const u of ['alice', 'bob', 'carol', 'dave']) tokens[u] = await mc.token(u, { roles: ['user'] });
    tokens['svc'] = await mc.token('svc', { accountType: 'system' });
    tokens['guest'] = await mc.token('visitor', { roles: ['guest'] });
    // The POLICY.md pattern: human users may use user-to-user encryption.
    const rule = await mc.request('POST', '/v1/policy/rules', {
      token: mc.adminToken,
      body: { name: 'u2u for people', effect: 'allow', roles: ['user'], resources: ['user/*'], actions: ['encrypt', 'decrypt'] },
    });
    assert.equal(rule.status, 200, rule.body);
    sessions = new Http2SessionManager(mc.grpcUrl, {}, { ca: mc.caCert, minVersion: 'TLSv1.3' });
  });
  after(async () => {
    sessions?.abort();
    await mc?.stop();
  });

  it('registers idempotently and serves public keys to authenticated users', async () => {
    const first = await call('POST', '/register', 'alice', {});
    assert.equal(first.status, 200, first.body);
    const key = first.json<Key>();
    assert.deepEqual([key.username, key.algorithm, key.version], ['alice', 'x25519', 1]);
    assert.equal(Buffer.from(key.public_key, 'base64').length, 32);
    assert.deepEqual(Object.keys(key).sort(), ['algorithm', 'created_at', 'public_key', 'username', 'version']);
    assert.deepEqual((await call('POST', '/register', 'alice', {})).json<Key>(), key);
    for (const u of ['bob', 'carol', 'admin']) assert.equal((await call('POST', '/register', u, {})).status, 200);

    const read = await call('GET', '/keys/alice', 'bob');
    assert.deepEqual(read.json<Key>(), key);
    const missing = await call('GET', '/keys/nobody', 'bob');
    assert.equal(missing.status, 404);
    assert.match(missing.json<{ error: string }>().error, /"nobody" has no key on this mount; they must register first/);
    // Guests may register their own key but not read others' keys; no token is 401.
    assert.equal((await call('POST', '/register', 'guest', {})).status, 200);
    assert.equal((await call('GET', '/keys/alice', 'guest')).status, 403);
    assert.equal((await mc.request('GET', '/v1/user/u2u/keys/alice', {})).status, 401);
    assert.equal((await mc.request('GET', '/v1/user/nope/keys/alice', { token: tokens['bob'] })).status, 404);
  });

  it('round-trips to two recipients; a non-recipient, even an admin, gets 403', async () => {
    const { envelope, message_id } = await encrypt('alice', ['bob', 'carol'], `${secret} to two`);
    const doc = JSON.parse(envelope) as { sender: string; id: string; recipients: Array<{ user: string; key_version: number }> };
    assert.equal(doc.sender, 'alice');
    assert.equal(doc.id, message_id);
    assert.deepEqual(
      doc.recipients.map((r) => [r.user, r.key_version]),
      [
        ['bob', 1],
        ['carol', 1],
      ],
    );
    for (const u of ['bob', 'carol']) {
      const res = await decrypt(u, envelope);
      assert.equal(res.status, 200, res.body);
      const m = res.json<{ plaintext: string; sender: string; message_id: string }>();
      assert.deepEqual(
        [Buffer.from(m.plaintext, 'base64').toString('utf8'), m.sender, m.message_id],
        [`${secret} to two`, 'alice', message_id],
      );
    }
    for (const u of ['alice', 'admin']) {
      const res = await decrypt(u, envelope);
      assert.equal(res.status, 403, `${u}: ${res.body}`);
      assert.match(res.json<{ error: string }>().error, /only the recipients of a message can decrypt it/);
    }
  });

  it('rejects a tampered envelope with 400', async () => {
    const { envelope } = await encrypt('alice', ['bob'], 'untouched');
    const doc = JSON.parse(envelope) as Record<string, unknown>;
    const ct = Buffer.from(doc['ciphertext'] as string, 'base64');
    ct[0] = (ct[0] ?? 0) ^ 0x80;
    for (const changed of [
      { ...doc, ciphertext: ct.toString('base64') },
      { ...doc, sender: 'carol' },
    ]) {
      const res = await decrypt('bob', JSON.stringify(changed));
      assert.equal(res.status, 400);
      assert.match(res.json<{ error: string }>().error, /envelope does not decrypt/);
    }
    assert.equal((await decrypt('bob', '{"v":1}')).status, 400);
  });

  it('decrypts an old envelope after the recipient rotates', async () => {
    const old = (await encrypt('alice', ['bob'], 'before rotation')).envelope;
    const rotated = await call('POST', '/rotate', 'bob', {});
    assert.equal(rotated.json<Key>().version, 2);
    assert.equal((await call('GET', '/keys/bob', 'alice')).json<Key>().version, 2);
    const fresh = (await encrypt('alice', ['bob'], 'after rotation')).envelope;
    for (const [envelope, text] of [
      [old, 'before rotation'],
      [fresh, 'after rotation'],
    ] as const) {
      const res = await decrypt('bob', envelope);
      assert.equal(Buffer.from(res.json<{ plaintext: string }>().plaintext, 'base64').toString('utf8'), text);
    }
  });

  it('answers a clear 404 for an unregistered recipient and 412 for an unregistered sender', async () => {
    const res = await call('POST', '/encrypt', 'alice', { recipients: ['bob', 'dave'], plaintext: b64('x') });
    assert.equal(res.status, 404);
    assert.match(res.json<{ error: string }>().error, /no key on mount "u2u" for recipient "dave"; they must register first/);
    const sender = await call('POST', '/encrypt', 'dave', { recipients: ['bob'], plaintext: b64('x') });
    assert.equal(sender.status, 412);
    assert.equal((await call('POST', '/encrypt', 'alice', { recipients: [], plaintext: b64('x') })).status, 400);
    assert.equal((await call('POST', '/rotate', 'dave', {})).status, 404);
  });

  it('needs policy for encrypt and decrypt', async () => {
    assert.equal((await call('POST', '/register', 'svc', {})).status, 200);
    const res = await call('POST', '/encrypt', 'svc', { recipients: ['alice'], plaintext: b64('x') });
    assert.equal(res.status, 403);
    assert.match(res.json<{ error: string }>().error, /action "encrypt" on "user\/u2u"/);
    const { envelope } = await encrypt('alice', ['svc'], 'for a service');
    assert.equal((await decrypt('svc', envelope)).status, 403);
  });

  it('works over gRPC with raw bytes', async () => {
    const client = createClient(UserService, createGrpcTransport({ baseUrl: mc.grpcUrl, sessionManager: sessions }));
    const as = (who: string) => ({ headers: { authorization: `Bearer ${tokens[who]}` } });
    const key = await client.getPublicKey({ mount: 'u2u', username: 'carol' }, as('alice'));
    assert.equal(key.publicKey.length, 32);
    const sealed = await client.encrypt(
      { mount: 'u2u', recipients: ['carol'], plaintext: Buffer.from([0, 1, 2, 255]) },
      as('alice'),
    );
    const opened = await client.decrypt({ mount: 'u2u', envelope: sealed.envelope }, as('carol'));
    assert.deepEqual([...opened.plaintext], [0, 1, 2, 255]);
    await assert.rejects(
      client.decrypt({ mount: 'u2u', envelope: sealed.envelope }, as('bob')),
      (err: unknown) => err instanceof ConnectError && err.code === Code.PermissionDenied,
    );
  });

  it("lets only an admin delete a user's keys", async () => {
    const { envelope } = await encrypt('alice', ['carol'], 'soon unreadable');
    assert.equal((await call('DELETE', '/keys/carol', 'alice')).status, 403);
    assert.equal((await call('DELETE', '/keys/carol', 'admin')).status, 204);
    assert.equal((await call('GET', '/keys/carol', 'alice')).status, 404);
    assert.equal((await decrypt('carol', envelope)).status, 404);
    assert.equal((await call('DELETE', '/keys/carol', 'admin')).status, 404);
  });

  it('never writes plaintext or key material to the database or the log, and answers 503 while sealed', async () => {
    await mc.restart();
    assert.equal((await call('POST', '/register', 'alice', {})).status, 503);
    await mc.unseal();
    for (const u of Object.keys(tokens)) tokens[u] = await mc.token(u === 'guest' ? 'visitor' : u);
    assert.equal((await call('GET', '/keys/alice', 'bob')).status, 200);
    const db = await readFile(mc.dbPath);
    const wal = await readFile(`${mc.dbPath}-wal`).catch(() => Buffer.alloc(0));
    const log = await readFile(mc.logPath, 'utf8');
    for (const haystack of [db.toString('latin1'), wal.toString('latin1'), log]) {
      assert.ok(!haystack.includes(secret), 'plaintext marker found');
      assert.ok(!haystack.includes(b64(secret).slice(0, 24)), 'base64 plaintext marker found');
    }
    assert.ok(!/private_key|wrapped_cek/.test(log), 'key material field in the log');
  });
});
