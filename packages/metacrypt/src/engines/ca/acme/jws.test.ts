import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exportJWK, FlattenedSign, generateKeyPair } from 'jose';
import { AcmeProblem } from './acme-problem.js';
import { checkAlgorithm, parseJws, parsePayload, publicJwk, verifyJws } from './jws.js';

const typeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AcmeProblem, String(err));
    return err.acmeType;
  }
  return 'none';
};

async function signed(alg: string, payload: unknown, header: Record<string, unknown> = {}) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const jws = await new FlattenedSign(Buffer.from(JSON.stringify(payload)))
    .setProtectedHeader({ alg, url: 'https://x/acme/pki/new-order', nonce: 'n', jwk, ...header })
    .sign(privateKey);
  return { jws: { protected: jws.protected ?? '', payload: jws.payload, signature: jws.signature }, jwk };
}

describe('parseJws', () => {
  it('reads a flattened JWS and its protected header', async () => {
    const { jws } = await signed('ES256', { a: 1 });
    const { header } = parseJws(jws);
    assert.equal(header.alg, 'ES256');
    assert.equal(header.url, 'https://x/acme/pki/new-order');
    assert.equal(header.nonce, 'n');
  });

  it('refuses other serializations, unprotected headers and bad members as malformed', async () => {
    const { jws } = await signed('ES256', {});
    assert.equal(
      typeOf(() => parseJws([jws])),
      'malformed',
    );
    assert.equal(
      typeOf(() => parseJws({ ...jws, header: {} })),
      'malformed',
    );
    assert.equal(
      typeOf(() => parseJws({ signatures: [jws] })),
      'malformed',
    );
    assert.equal(
      typeOf(() => parseJws({ ...jws, signature: 'a+b/' })),
      'malformed',
    );
    assert.equal(
      typeOf(() => parseJws({ ...jws, protected: Buffer.from('{"url":"x"}').toString('base64url') })),
      'malformed',
    );
    assert.equal(
      typeOf(() => parseJws({ ...jws, protected: Buffer.from('[1]').toString('base64url') })),
      'malformed',
    );
  });

  it('never throws anything but an AcmeProblem', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.record({ protected: fc.base64String(), payload: fc.string(), signature: fc.string() })),
        (input) => {
          try {
            parseJws(input);
          } catch (err) {
            assert.ok(err instanceof AcmeProblem);
          }
        },
      ),
    );
  });
});

describe('publicJwk and checkAlgorithm', () => {
  it('keeps only public members of accepted keys that fit alg', async () => {
    const { jwk } = await signed('ES256', {});
    assert.deepEqual(Object.keys(publicJwk({ ...jwk, kid: 'x', use: 'sig' }, 'ES256')).sort(), ['crv', 'kty', 'x', 'y']);
    assert.equal(
      typeOf(() => publicJwk(jwk, 'ES384')),
      'badPublicKey',
    );
    assert.equal(
      typeOf(() => publicJwk(jwk, 'EdDSA')),
      'badPublicKey',
    );
    assert.equal(
      typeOf(() => publicJwk({ ...jwk, d: 'secret' }, 'ES256')),
      'badPublicKey',
    );
    assert.equal(
      typeOf(() => publicJwk({ kty: 'RSA', n: Buffer.alloc(128, 1).toString('base64url'), e: 'AQAB' }, 'RS256')),
      'badPublicKey',
    );
    assert.equal(
      typeOf(() => publicJwk({ kty: 'oct', k: 'abc' }, 'HS256')),
      'badPublicKey',
    );
  });

  it('accepts ES256, ES384, EdDSA and RS256 only', () => {
    for (const alg of ['ES256', 'ES384', 'EdDSA', 'RS256'])
      assert.equal(
        typeOf(() => checkAlgorithm(alg)),
        'none',
      );
    for (const alg of ['HS256', 'none', 'RS512', 'PS256', 'ES512'])
      assert.equal(
        typeOf(() => checkAlgorithm(alg)),
        'badSignatureAlgorithm',
      );
  });
});

describe('verifyJws', () => {
  for (const alg of ['ES256', 'ES384', 'EdDSA', 'RS256']) {
    it(`verifies ${alg} and refuses a tampered signature`, async () => {
      const { jws, jwk } = await signed(alg, { hello: 'world' });
      const key = publicJwk(jwk, alg);
      assert.deepEqual(parsePayload(await verifyJws(jws, alg, key)), { hello: 'world' });
      const sig = Buffer.from(jws.signature, 'base64url');
      sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 1;
      await assert.rejects(
        verifyJws({ ...jws, signature: sig.toString('base64url') }, alg, key),
        (e: unknown) => e instanceof AcmeProblem && e.acmeType === 'malformed',
      );
    });
  }

  it('refuses a signature by another key', async () => {
    const a = await signed('ES256', {});
    const b = await signed('ES256', {});
    await assert.rejects(verifyJws(a.jws, 'ES256', publicJwk(b.jwk, 'ES256')), /does not verify/);
  });
});

describe('parsePayload', () => {
  it('treats an empty payload as POST-as-GET and wants a JSON object otherwise', () => {
    assert.equal(parsePayload(new Uint8Array()), undefined);
    assert.deepEqual(parsePayload(Buffer.from('{}')), {});
    assert.equal(
      typeOf(() => parsePayload(Buffer.from('[]'))),
      'malformed',
    );
    assert.equal(
      typeOf(() => parsePayload(Buffer.from('nope'))),
      'malformed',
    );
  });
});
