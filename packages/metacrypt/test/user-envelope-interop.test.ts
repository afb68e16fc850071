// An independent implementation of the user-to-user envelope, written from the format in
// src/engines/user/README.md with node:crypto only (JWK key import, no code shared with the
// engine), proves the engine writes and reads exactly the documented format.
import assert from 'node:assert/strict';
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import { describe, it } from 'node:test';
import { createLogger, ForbiddenError } from '@metacircular/mcdsl';
import { memoryBarrierView, type OpContext } from '../src/engine/index.js';
import { UserEngine } from '../src/engines/user/index.js';

interface Doc {
  v: number;
  id: string;
  sender: string;
  alg: string;
  epk: string;
  recipients: Array<{ user: string; key_version: number; wrapped_cek: string; nonce: string }>;
  nonce: string;
  ciphertext: string;
  mac?: string;
}

const INFO = 'metacrypt-u2u-v1';
const b64url = (b: Buffer) => b.toString('base64url');

function lengthPrefixed(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

function headerAad(id: string, sender: string, users: string[]): Buffer {
  const n = Buffer.alloc(4);
  n.writeUInt32BE(users.length);
  return Buffer.concat([lengthPrefixed(INFO), lengthPrefixed(id), lengthPrefixed(sender), n, ...users.map(lengthPrefixed)]);
}

function dh(privateRaw: Buffer, publicRaw: Buffer, ownPublicRaw: Buffer): Buffer {
  const privateKey = createPrivateKey({
    key: { kty: 'OKP', crv: 'X25519', d: b64url(privateRaw), x: b64url(ownPublicRaw) },
    format: 'jwk',
  });
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64url(publicRaw) }, format: 'jwk' });
  return diffieHellman({ privateKey, publicKey });
}

function gcm(key: Buffer, nonce: Buffer, data: Buffer, aad: Buffer): Buffer {
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad);
  return Buffer.concat([c.update(data), c.final(), c.getAuthTag()]);
}

function ungcm(key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, nonce);
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(-16));
  return Buffer.concat([d.update(sealed.subarray(0, -16)), d.final()]);
}

/** independentMac computes the mount's attestation, given its mac key. */
function independentMac(key: Buffer, doc: Doc): string {
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const parts: Buffer[] = [
    lengthPrefixed('metacrypt-u2u-v1 mac'),
    lengthPrefixed(doc.id),
    lengthPrefixed(doc.sender),
    lengthPrefixed(doc.alg),
    lengthPrefixed(doc.epk),
    u32(doc.recipients.length),
  ];
  for (const r of doc.recipients)
    parts.push(lengthPrefixed(r.user), u32(r.key_version), lengthPrefixed(r.wrapped_cek), lengthPrefixed(r.nonce));
  parts.push(lengthPrefixed(doc.nonce), lengthPrefixed(doc.ciphertext));
  return createHmac('sha256', key).update(Buffer.concat(parts)).digest('base64');
}

/** independentOpen decrypts as `me`, holding the raw X25519 key pair. */
function independentOpen(doc: Doc, me: string, privateRaw: Buffer, publicRaw: Buffer): Buffer {
  assert.equal(doc.v, 1);
  assert.equal(doc.alg, 'x25519-hkdf-sha256+a256gcm');
  const aad = headerAad(
    doc.id,
    doc.sender,
    doc.recipients.map((r) => r.user),
  );
  const epk = Buffer.from(doc.epk, 'base64');
  const entry = doc.recipients.find((r) => r.user === me);
  assert.ok(entry);
  const wrapKey = Buffer.from(hkdfSync('sha256', dh(privateRaw, epk, publicRaw), Buffer.concat([epk, publicRaw]), INFO, 32));
  const cek = ungcm(wrapKey, Buffer.from(entry.nonce, 'base64'), Buffer.from(entry.wrapped_cek, 'base64'), aad);
  return ungcm(cek, Buffer.from(doc.nonce, 'base64'), Buffer.from(doc.ciphertext, 'base64'), aad);
}

/** independentSeal encrypts from `sender` to recipients given as raw public keys. */
function independentSeal(
  sender: string,
  to: Array<{ user: string; version: number; publicKey: Buffer }>,
  plaintext: Buffer,
): Doc {
  const id = randomUUID();
  const aad = headerAad(
    id,
    sender,
    to.map((r) => r.user),
  );
  const cek = randomBytes(32);
  const eph = generateKeyPairSync('x25519');
  const ephJwk = eph.privateKey.export({ format: 'jwk' });
  const epk = Buffer.from(ephJwk.x!, 'base64url');
  const ephPrivate = Buffer.from(ephJwk.d!, 'base64url');
  const recipients = to.map((r) => {
    const wrapKey = Buffer.from(
      hkdfSync('sha256', dh(ephPrivate, r.publicKey, epk), Buffer.concat([epk, r.publicKey]), INFO, 32),
    );
    const nonce = randomBytes(12);
    return {
      user: r.user,
      key_version: r.version,
      wrapped_cek: gcm(wrapKey, nonce, cek, aad).toString('base64'),
      nonce: nonce.toString('base64'),
    };
  });
  const nonce = randomBytes(12);
  return {
    v: 1,
    id,
    sender,
    alg: 'x25519-hkdf-sha256+a256gcm',
    epk: epk.toString('base64'),
    recipients,
    nonce: nonce.toString('base64'),
    ciphertext: gcm(cek, nonce, plaintext, aad).toString('base64'),
  };
}

function setup() {
  const store = new Map<string, Buffer>();
  const mount = { name: 'u2u', type: 'user' as const, config: {}, createdAt: new Date(0) };
  const engine = new UserEngine(mount, memoryBarrierView(store), {
    now: () => new Date(),
    logger: createLogger({ service: 't', level: 'error' }),
  });
  // Admin callers pass policy, which keeps this test about the format alone.
  const as = (username: string): OpContext => ({
    caller: { username, roles: ['admin'], accountType: 'human', isAdmin: true, isGuest: false, token: 't' },
    mount: 'u2u',
    authorize: () => undefined,
    note: () => undefined,
  });
  return { store, engine, as };
}

describe('user-to-user envelope interop (independent implementation from the documented format)', () => {
  it('an envelope written by Metacrypt opens with the independent code', () => {
    const { store, engine, as } = setup();
    engine.register(as('alice'));
    engine.register(as('carol'));
    engine.rotate(as('carol'));
    const carolPublic = engine.publicKey(as('alice'), 'carol').publicKey;
    const { envelope } = engine.encrypt(as('alice'), ['carol'], Buffer.from('interop ✓'));
    const doc = JSON.parse(envelope) as Doc;
    assert.deepEqual(Object.keys(doc).sort(), ['alg', 'ciphertext', 'epk', 'id', 'mac', 'nonce', 'recipients', 'sender', 'v']);
    assert.equal(doc.recipients[0]?.key_version, 2);
    // The test reads carol's private key and the mount's mac key out of the (in-memory) barrier:
    // only a test can.
    const carolPrivate = store.get('private/carol/2')!;
    assert.equal(independentOpen(doc, 'carol', carolPrivate, carolPublic).toString('utf8'), 'interop ✓');
    assert.equal(independentMac(store.get('mac-key')!, doc), doc.mac);
  });

  it('an envelope written by the independent code (with the mount mac key) opens with Metacrypt', () => {
    const { store, engine, as } = setup();
    engine.register(as('alice'));
    const bob = engine.register(as('bob'));
    const dave = engine.register(as('dave'));
    const doc = independentSeal(
      'alice',
      [
        { user: 'bob', version: bob.version, publicKey: bob.publicKey },
        { user: 'dave', version: dave.version, publicKey: dave.publicKey },
      ],
      Buffer.from('made elsewhere'),
    );
    // Without the mount's attestation Metacrypt refuses it: anyone could have claimed to be alice.
    assert.throws(
      () => engine.decrypt(as('bob'), JSON.stringify({ ...doc, mac: Buffer.alloc(32).toString('base64') })),
      /does not decrypt/,
    );
    engine.encrypt(as('alice'), ['bob'], Buffer.from('creates the mac key'));
    doc.mac = independentMac(store.get('mac-key')!, doc);
    for (const u of ['bob', 'dave']) {
      const m = engine.decrypt(as(u), JSON.stringify(doc));
      assert.deepEqual([m.plaintext.toString('utf8'), m.sender, m.messageId], ['made elsewhere', 'alice', doc.id]);
    }
    assert.throws(() => engine.decrypt(as('alice'), JSON.stringify(doc)), ForbiddenError);
  });
});
