// The transit engine through a real Metacrypt (real MCIAS, TLS, SQLite barrier): REST and gRPC,
// policy for non-admin callers, the seal, and what reaches the database and the log.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { TransitService } from '@metacircular/proto/metacrypt/v1/transit_pb';
import { transitModule } from '../src/engines/transit/index.js';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
// a marker that must never reach the database or the log
const secret = 'plaintext-marker-7f3a9c1e-never-stored';

interface Json {
  [k: string]: unknown;
}

describe('transit over REST and gRPC', () => {
  let mc: TestMetacrypt;
  let sessions: Http2SessionManager;
  let grpc: ReturnType<typeof createClient<typeof TransitService>>;
  const post = async (path: string, body: unknown, token = mc.adminToken) =>
    mc.request('POST', `/v1/transit/transit${path}`, { token, body });
  const ok = async (path: string, body: unknown, token?: string): Promise<Json> => {
    const res = await post(path, body, token);
    assert.equal(res.status, 200, `${path}: ${res.body}`);
    return res.json<Json>();
  };
  const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  before(async () => {
    mc = await startTestMetacrypt({ mounts: [{ name: 'transit', type: 'transit' }], modules: [transitModule], logLevel: 'info' });
    sessions = new Http2SessionManager(mc.grpcUrl, {}, { ca: mc.caCert, minVersion: 'TLSv1.3' });
    grpc = createClient(TransitService, createGrpcTransport({ baseUrl: mc.grpcUrl, sessionManager: sessions }));
  });
  after(async () => {
    sessions?.abort();
    await mc?.stop();
  });

  it('creates keys and returns metadata without material', async () => {
    const key = await ok('/keys', { name: 'app' });
    assert.equal(key.type, 'aes256-gcm');
    assert.equal(key.latest_version, 1);
    assert.equal(key.deletion_allowed, false);
    assert.deepEqual(Object.keys((key.versions as Json[])[0]!).sort(), ['created_at', 'public_key_pem', 'version']);
    assert.equal((await ok('/keys/sig', { type: 'ecdsa-p256' })).name, 'sig');
    assert.equal((await post('/keys', { name: 'app' })).status, 409);
    assert.equal((await post('/keys', { name: 'x', type: 'rsa' })).status, 400);
    const list = await mc.request('GET', '/v1/transit/transit/keys', { token: mc.adminToken });
    assert.deepEqual(
      list.json<{ keys: Json[] }>().keys.map((k) => k.name),
      ['app', 'sig'],
    );
    assert.equal((await mc.request('GET', '/v1/transit/transit/keys/nope', { token: mc.adminToken })).status, 404);
    assert.equal((await mc.request('GET', '/v1/transit/other/keys', { token: mc.adminToken })).status, 404);
  });

  it('round-trips, rotates, rewraps and enforces min_decryption_version over REST', async () => {
    const enc = await ok('/encrypt/app', { plaintext: b64(secret), context: b64('ctx') });
    assert.match(enc.ciphertext as string, /^metacrypt:v1:/);
    const dec = await ok('/decrypt/app', { ciphertext: enc.ciphertext, context: b64('ctx') });
    assert.equal(unb64(dec.plaintext as string), secret);
    const wrongContext = await post('/decrypt/app', { ciphertext: enc.ciphertext, context: b64('other') });
    assert.equal(wrongContext.status, 400);
    assert.deepEqual(wrongContext.json(), { error: 'ciphertext could not be decrypted' });

    assert.equal((await ok('/keys/app/rotate', {})).latest_version, 2);
    const rewrapped = await ok('/rewrap/app', { ciphertext: enc.ciphertext, context: b64('ctx') });
    assert.match(rewrapped.ciphertext as string, /^metacrypt:v2:/);
    assert.equal(
      unb64((await ok('/decrypt/app', { ciphertext: enc.ciphertext, context: b64('ctx') })).plaintext as string),
      secret,
    );

    assert.equal((await ok('/keys/app/config', { min_decryption_version: 2 })).min_decryption_version, 2);
    const old = await post('/decrypt/app', { ciphertext: enc.ciphertext, context: b64('ctx') });
    assert.equal(old.status, 400);
    assert.deepEqual(old.json(), { error: "ciphertext version 1 is below the key's min_decryption_version 2" });
    assert.equal(
      unb64((await ok('/decrypt/app', { ciphertext: rewrapped.ciphertext, context: b64('ctx') })).plaintext as string),
      secret,
    );
  });

  it('rejects tampered ciphertexts and bad input without detail', async () => {
    const { ciphertext } = (await ok('/encrypt/app', { plaintext: b64('data') })) as { ciphertext: string };
    const raw = Buffer.from(ciphertext.slice('metacrypt:v2:'.length), 'base64');
    for (const at of [0, 14, raw.length - 1]) {
      const t = Buffer.from(raw);
      t[at]! ^= 0x80;
      const res = await post('/decrypt/app', { ciphertext: `metacrypt:v2:${t.toString('base64')}` });
      assert.equal(res.status, 400);
      assert.deepEqual(res.json(), { error: 'ciphertext could not be decrypted' });
    }
    assert.equal((await post('/decrypt/app', { ciphertext: ciphertext.replace(':v2:', ':v7:') })).status, 400);
    assert.equal((await post('/encrypt/app', { plaintext: 'not base64!' })).status, 400);
    assert.equal((await post('/encrypt/sig', { plaintext: b64('x') })).status, 400);
  });

  it('answers batches item by item', async () => {
    const enc = await ok('/encrypt/app', { batch_input: [{ plaintext: b64('a') }, { plaintext: b64('b'), key_version: 9 }] });
    const results = enc.batch_results as Json[];
    assert.equal(results[0]!.error, '');
    assert.match(results[1]!.error as string, /key_version 9 does not exist/);
    const dec = await ok('/decrypt/app', {
      batch_input: [{ ciphertext: results[0]!.ciphertext }, { ciphertext: 'metacrypt:v2:AAAA' }],
    });
    assert.deepEqual(
      (dec.batch_results as Json[]).map((r) => [unb64(r.plaintext as string), r.error]),
      [
        ['a', ''],
        ['', 'ciphertext could not be decrypted'],
      ],
    );
    assert.equal((await post('/encrypt/app', { plaintext: b64('x'), batch_input: [{ plaintext: b64('y') }] })).status, 400);
  });

  it('makes data keys, signatures and HMACs', async () => {
    const dk = await ok('/datakey/app', { bits: 128 });
    assert.equal(Buffer.from(dk.plaintext_key as string, 'base64').length, 16);
    assert.equal((await ok('/decrypt/app', { ciphertext: dk.ciphertext })).plaintext, dk.plaintext_key);
    assert.equal((await ok('/datakey/app', { variant: 'wrapped' })).plaintext_key, '');

    const sig = await ok('/sign/sig', { input: b64('message'), hash: 'sha384' });
    assert.deepEqual(await ok('/verify/sig', { input: b64('message'), signature: sig.signature, hash: 'sha384' }), {
      valid: true,
    });
    assert.deepEqual(await ok('/verify/sig', { input: b64('massage'), signature: sig.signature, hash: 'sha384' }), {
      valid: false,
    });
    const pem = (await mc.request('GET', '/v1/transit/transit/keys/sig', { token: mc.adminToken })).json<{ versions: Json[] }>()
      .versions[0]!.public_key_pem as string;
    const raw = Buffer.from((sig.signature as string).slice('metacrypt:v1:'.length), 'base64');
    assert.equal(verify('sha384', Buffer.from('message'), createPublicKey(pem), raw), true);

    const mac = await ok('/hmac/app', { input: b64('message') });
    assert.deepEqual(await ok('/verify-hmac/app', { input: b64('message'), hmac: mac.hmac }), { valid: true });
    assert.deepEqual(await ok('/verify-hmac/app', { input: b64('other'), hmac: mac.hmac }), { valid: false });
  });

  it('deletes only with deletion_allowed; trims only as an admin', async () => {
    await ok('/keys', { name: 'tmp' });
    const refused = await mc.request('DELETE', '/v1/transit/transit/keys/tmp', { token: mc.adminToken });
    assert.equal(refused.status, 412);
    assert.match(refused.json<{ error: string }>().error, /deletion_allowed/);
    await ok('/keys/tmp/config', { deletion_allowed: true });
    assert.equal((await mc.request('DELETE', '/v1/transit/transit/keys/tmp', { token: mc.adminToken })).status, 204);

    const user = await mc.token('trimmer', { roles: ['user'] });
    assert.equal((await post('/keys/app/trim', { min_available_version: 2 }, user)).status, 403);
    const trimmed = await ok('/keys/app/trim', { min_available_version: 2 });
    assert.deepEqual(
      (trimmed.versions as Json[]).map((v) => v.version),
      [2],
    );
  });

  it('applies policy to non-admins: nothing without a rule, encrypt-only with one', async () => {
    const alice = await mc.token('alice', { roles: ['user'] });
    assert.equal((await post('/encrypt/app', { plaintext: b64('x') }, alice)).status, 403);
    assert.equal((await post('/encrypt/missing', { plaintext: b64('x') }, alice)).status, 403);
    const rule = await mc.request('POST', '/v1/policy/rules', {
      token: mc.adminToken,
      body: {
        name: 'alice encrypts',
        priority: 10,
        effect: 'allow',
        usernames: ['alice'],
        resources: ['transit/transit/keys/app'],
        actions: ['encrypt'],
      },
    });
    assert.equal(rule.status, 200, rule.body);
    const enc = await ok('/encrypt/app', { plaintext: b64('for alice') }, alice);
    assert.equal((await post('/decrypt/app', { ciphertext: enc.ciphertext }, alice)).status, 403);
    assert.equal((await post('/encrypt/sig', { plaintext: b64('x') }, alice)).status, 403);
    const list = await mc.request('GET', '/v1/transit/transit/keys', { token: alice });
    assert.deepEqual(list.json(), { keys: [] });

    const denied = await grpc
      .decrypt({ mount: 'transit', name: 'app', ciphertext: enc.ciphertext as string }, auth(alice))
      .catch((e: unknown) => e);
    assert.ok(denied instanceof ConnectError);
    assert.equal(denied.code, Code.PermissionDenied);
  });

  it('serves the same operations over gRPC with matching error codes', async () => {
    const token = mc.adminToken;
    await grpc.createKey({ mount: 'transit', name: 'g', type: 'chacha20-poly1305' }, auth(token));
    const enc = await grpc.encrypt(
      { mount: 'transit', name: 'g', plaintext: Buffer.from('over grpc'), context: Buffer.from('c') },
      auth(token),
    );
    assert.match(enc.ciphertext, /^metacrypt:v1:/);
    const dec = await grpc.decrypt(
      { mount: 'transit', name: 'g', ciphertext: enc.ciphertext, context: Buffer.from('c') },
      auth(token),
    );
    assert.equal(Buffer.from(dec.plaintext).toString(), 'over grpc');
    const bad = await grpc
      .decrypt({ mount: 'transit', name: 'g', ciphertext: enc.ciphertext }, auth(token))
      .catch((e: unknown) => e);
    assert.ok(bad instanceof ConnectError);
    assert.equal(bad.code, Code.InvalidArgument);
    assert.equal(bad.rawMessage, 'ciphertext could not be decrypted');
    const missing = await grpc.getKey({ mount: 'transit', name: 'nope' }, auth(token)).catch((e: unknown) => e);
    assert.equal((missing as ConnectError).code, Code.NotFound);

    await grpc.createKey({ mount: 'transit', name: 'ed', type: 'ed25519' }, auth(token));
    const sig = await grpc.sign({ mount: 'transit', name: 'ed', input: Buffer.from('m') }, auth(token));
    assert.equal(
      (await grpc.verify({ mount: 'transit', name: 'ed', input: Buffer.from('m'), signature: sig.signature }, auth(token))).valid,
      true,
    );
    const key = await grpc.getKey({ mount: 'transit', name: 'ed' }, auth(token));
    const raw = Buffer.from(sig.signature.slice('metacrypt:v1:'.length), 'base64');
    assert.equal(verify(null, Buffer.from('m'), createPublicKey(key.versions[0]!.publicKeyPem), raw), true);
    const mac = await grpc.hMAC(
      { mount: 'transit', name: 'ed', batchInput: [{ input: Buffer.from('a') }, { input: Buffer.from('b') }] },
      auth(token),
    );
    assert.equal(mac.batchResults.length, 2);
    const check = await grpc.verifyHMAC(
      { mount: 'transit', name: 'ed', input: Buffer.from('b'), hmac: mac.batchResults[1]!.hmac },
      auth(token),
    );
    assert.equal(check.valid, true);
    const noToken = await grpc.listKeys({ mount: 'transit' }).catch((e: unknown) => e);
    assert.equal((noToken as ConnectError).code, Code.Unauthenticated);
  });

  it('keeps plaintext out of the database and the log, and notes the key in the audit log', async () => {
    const db = await readFile(mc.dbPath);
    assert.ok(!db.includes(secret) && !db.includes(b64(secret)), 'plaintext in the database');
    const log = await readFile(mc.logPath, 'utf8');
    assert.ok(!log.includes(secret) && !log.includes(b64(secret)), 'plaintext in the log');
    const audit = await mc.request('GET', '/v1/audit?mount=transit&action=/metacrypt.v1.TransitService/Encrypt', {
      token: mc.adminToken,
    });
    assert.equal(audit.status, 200, audit.body);
    const events = audit.json<{ events: Array<{ detail: Json; resource: string }> }>().events;
    assert.ok(events.length > 0);
    assert.ok(events.some((e) => e.detail.key === 'app' && e.resource === 'transit/transit/keys/app'));
    assert.ok(!audit.body.includes(b64(secret)));
  });

  it('answers 503 while sealed and decrypts old ciphertexts after unseal', async () => {
    const enc = await ok('/encrypt/app', { plaintext: b64('survives') });
    await mc.restart();
    assert.equal((await post('/encrypt/app', { plaintext: b64('x') })).status, 503);
    await mc.unseal();
    assert.equal(unb64((await ok('/decrypt/app', { ciphertext: enc.ciphertext })).plaintext as string), 'survives');
  });
});
