import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { McError } from '@metacircular/mcdsl';
import { parseMciasConfig, type MciasConfigInput } from '../config.js';
import { counterAdvances } from './passkey-login.js';
import { passkeyName, uuidBytes } from './passkey-registration.js';
import { RelyingParty } from './relying-party.js';
import { authenticationResponseOf, credentialIdBytes, registrationResponseOf } from './webauthn-json.js';

const base: MciasConfigInput = {
  server: { listen_addr: ':8443', tls_cert: 'c', tls_key: 'k' },
  database: { path: 'db' },
  tokens: { issuer: 'https://mcias.example' },
};

describe('passkey rules', () => {
  it('counterAdvances: the counter must grow, unless the authenticator keeps none', () => {
    assert.equal(counterAdvances(0, 0), true);
    assert.equal(counterAdvances(0, 1), true);
    assert.equal(counterAdvances(5, 6), true);
    assert.equal(counterAdvances(5, 5), false);
    assert.equal(counterAdvances(5, 4), false);
    assert.equal(counterAdvances(5, 0), false);
  });

  it('passkeyName trims, defaults and refuses control characters and long names', () => {
    assert.equal(passkeyName('  laptop '), 'laptop');
    assert.equal(passkeyName(''), 'passkey');
    assert.equal(passkeyName('é'.repeat(64)), 'é'.repeat(64));
    assert.throws(() => passkeyName('x'.repeat(65)), /1-64 characters/);
    assert.throws(() => passkeyName('a\nb'), /control characters/);
  });

  it('uuidBytes is the 16 bytes of a UUID', () => {
    assert.equal(uuidBytes('00112233-4455-6677-8899-aabbccddeeff').toString('hex'), '00112233445566778899aabbccddeeff');
  });

  it('the origin is rp_origin, or https://<rp_id>:<bound port>', () => {
    const config = parseMciasConfig({ ...base, webauthn: { rp_id: 'localhost' } }).webauthn!;
    assert.equal(config.display_name, 'MCIAS');
    const rp = new RelyingParty(config);
    assert.throws(() => rp.origin, /not known until the server listens/);
    rp.listening(8443);
    assert.equal(rp.origin, 'https://localhost:8443');
    rp.listening(443);
    assert.equal(rp.origin, 'https://localhost');
    const fixed = new RelyingParty(
      parseMciasConfig({ ...base, webauthn: { rp_id: 'example.net', rp_origin: 'https://mcias.example.net' } }).webauthn!,
    );
    fixed.listening(8443);
    assert.equal(fixed.origin, 'https://mcias.example.net');
  });

  it('[webauthn] refuses an rp_id with a scheme and an origin off the rp_id', () => {
    assert.equal(parseMciasConfig(base).webauthn, undefined);
    assert.throws(() => parseMciasConfig({ ...base, webauthn: { rp_id: 'https://example.net' } }), /host name/);
    assert.throws(
      () => parseMciasConfig({ ...base, webauthn: { rp_id: 'example.net', rp_origin: 'https://example.org' } }),
      /rp_origin must be on rp_id/,
    );
    assert.throws(
      () => parseMciasConfig({ ...base, webauthn: { rp_id: 'example.net', rp_origin: 'http://example.net' } }),
      /https origin/,
    );
    assert.throws(
      () => parseMciasConfig({ ...base, webauthn: { rp_id: 'example.net', rp_origin: 'https://example.net/login' } }),
      /no path/,
    );
  });

  it('credential JSON is checked before the library sees it (400 naming the field)', () => {
    const bad = (f: () => unknown, field: RegExp) =>
      assert.throws(f, (err: unknown) => err instanceof McError && err.category === 'invalid_request' && field.test(err.message));
    bad(() => registrationResponseOf(undefined), /credential is required/);
    bad(() => registrationResponseOf({}), /credential is required/);
    bad(() => registrationResponseOf({ id: 'a+b', rawId: 'x', type: 'public-key' }), /base64url/);
    bad(() => registrationResponseOf({ id: 'abc', rawId: 'abc', type: 'password' }), /type/);
    bad(() => registrationResponseOf({ id: 'abc', rawId: 'abc', type: 'public-key' }), /response/);
    bad(
      () => registrationResponseOf({ id: 'abc', rawId: 'abc', type: 'public-key', response: { clientDataJSON: 'x' } }),
      /attestationObject/,
    );
    bad(
      () =>
        authenticationResponseOf({
          id: 'abc',
          rawId: 'abc',
          type: 'public-key',
          response: { clientDataJSON: 'x', authenticatorData: 'y', signature: 'z', userHandle: 5 },
        }),
      /userHandle/,
    );
    bad(() => credentialIdBytes('A'.repeat(2000)), /base64url/);
    const ok = authenticationResponseOf({
      id: 'abc',
      rawId: 'abc',
      type: 'public-key',
      response: { clientDataJSON: 'x', authenticatorData: 'y', signature: 'z' },
    });
    assert.deepEqual(ok.clientExtensionResults, {});
  });
});
