// Where the CA keeps its private keys: each root and issuer key is its own binary barrier entry
// (keys/root, keys/issuers/{name}, PKCS#8 DER), the JSON records hold no key, every DER Buffer
// the engine reads is zeroed once imported, and the cached records carry no DER. Runs on the
// memory barrier view with a wrapper that keeps every Buffer `get` handed out.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { SealedError } from '@metacircular/mcdsl';
import { memoryBarrierView, type BarrierView, type OpContext } from '../src/engine/index.js';
import { caModule, type CaMountEngine } from '../src/engines/ca/index.js';

const ctx: OpContext = {
  caller: { username: 'admin', roles: ['admin'], accountType: 'human', isAdmin: true, isGuest: false, token: 't' },
  mount: 'pki',
  authorize() {},
  note() {},
};
const deps = { now: () => new Date(), logger: undefined as never };

function open(store: Map<string, Buffer>, reads: Array<{ path: string; value: Buffer }> = []): CaMountEngine {
  const inner = memoryBarrierView(store, 'engine/pki/');
  const view: BarrierView = {
    ...inner,
    get(path) {
      const value = inner.get(path);
      if (value) reads.push({ path, value });
      return value;
    },
  };
  const mount = { name: 'pki', type: 'ca' as const, config: caModule.provider.validateConfig({}), createdAt: new Date() };
  if (store.size === 0) caModule.provider.initialize(mount, view, deps);
  return caModule.provider.open(mount, view, deps) as CaMountEngine;
}

const publicDer = (pem: string) => new X509Certificate(pem).publicKey.export({ format: 'der', type: 'spki' });

describe('CA key storage', () => {
  it('keeps each CA private key in its own binary entry, none in the JSON records', () => {
    const store = new Map<string, Buffer>();
    const engine = open(store);
    engine.generateRoot(ctx, {});
    const names = engine.issuerNames();
    assert.ok(names.length > 0);
    const keyPaths = [...store.keys()].filter((p) => p.startsWith('engine/pki/keys/')).sort();
    const expected = ['engine/pki/keys/root', ...names.map((n) => `engine/pki/keys/issuers/${n}`)].sort();
    assert.deepEqual(keyPaths, expected);
    const pairs: Array<[string, string]> = [
      ['engine/pki/keys/root', engine.root().record.certPem],
      ...names.map((n): [string, string] => [`engine/pki/keys/issuers/${n}`, engine.issuer(n).record.certPem]),
    ];
    for (const [path, certPem] of pairs) {
      const key = createPrivateKey({ key: store.get(path)!, format: 'der', type: 'pkcs8' });
      assert.deepEqual(
        createPublicKey(key).export({ format: 'der', type: 'spki' }),
        publicDer(certPem),
        `${path} matches its certificate`,
      );
      const der = store.get(path)!;
      const b64 = der.toString('base64');
      for (const [other, value] of store) {
        if (other === path) continue;
        assert.ok(
          !value.includes(der) && !value.toString('utf8').includes(b64.slice(24, 64)),
          `${other} holds the key of ${path}`,
        );
      }
    }
    for (const path of ['engine/pki/root', ...names.map((n) => `engine/pki/issuers/${n}`)]) {
      const record = JSON.parse(store.get(path)!.toString('utf8')) as Record<string, unknown>;
      assert.equal(record.keyDer, undefined, path);
      assert.deepEqual(
        Object.keys(record).filter((k) => /key/i.test(k)),
        ['keyType'],
        path,
      );
    }
  });

  it('zeroes the DER it reads, caches no DER, and forgets the keys on seal', () => {
    const store = new Map<string, Buffer>();
    open(store).generateRoot(ctx, {});
    const reads: Array<{ path: string; value: Buffer }> = [];
    const engine = open(store, reads);
    const issued = engine.issue(ctx, { issuer: 'infra', commonName: 'x.example.test' });
    assert.match(issued.certPem, /BEGIN CERTIFICATE/);
    const keyReads = reads.filter((r) => r.path.startsWith('keys/'));
    assert.deepEqual(keyReads.map((r) => r.path).sort(), ['keys/issuers/infra', 'keys/root']);
    for (const r of keyReads)
      assert.ok(
        r.value.every((b) => b === 0),
        `${r.path} was not zeroed after import`,
      );
    const cached = JSON.stringify([engine.root().record, engine.issuer('infra').record]);
    assert.doesNotMatch(cached, /keyDer|PRIVATE/);
    for (const r of keyReads) assert.ok(!cached.includes(store.get(`engine/pki/${r.path}`)!.toString('base64').slice(24, 64)));
    engine.seal();
    assert.throws(() => engine.issue(ctx, { issuer: 'infra', commonName: 'x.example.test' }), SealedError);
    assert.throws(() => engine.root(), SealedError);
  });
});
