import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { decodeTotpSecret, generateTotpSecret, totpUri } from './totp-secret.js';

describe('generateTotpSecret', () => {
  it('returns 160 bits as unpadded RFC 4648 base32', () => {
    const secret = generateTotpSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(decodeTotpSecret(secret).bytes.byteLength, 20);
  });

  it('never repeats', () => {
    const seen = new Set(Array.from({ length: 200 }, generateTotpSecret));
    assert.equal(seen.size, 200);
  });
});

describe('totpUri', () => {
  it('renders a Key URI with the fixed parameters', () => {
    const secret = generateTotpSecret();
    const uri = new URL(totpUri({ secret, account: 'alice', issuer: 'MCIAS' }));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/MCIAS:alice');
    assert.equal(uri.searchParams.get('issuer'), 'MCIAS');
    assert.equal(uri.searchParams.get('secret'), secret);
    assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
  });

  it('percent-encodes issuer and account', () => {
    const uri = totpUri({ secret: generateTotpSecret(), account: 'a b:c@d', issuer: 'My & Co' });
    assert.ok(uri.startsWith('otpauth://totp/My%20%26%20Co:a%20b%3Ac%40d?issuer=My%20%26%20Co&'), uri);
  });

  it('refuses a secret that is not base32 without echoing it', () => {
    assert.throws(
      () => totpUri({ secret: 'hunter2!', account: 'a', issuer: 'b' }),
      (err: unknown) => err instanceof InvalidRequestError && !err.message.includes('hunter2'),
    );
  });
});

describe('decodeTotpSecret', () => {
  it('tolerates lowercase, spaces and padding', () => {
    const bytes = decodeTotpSecret('gezd gnbv gy3t qojq gezd gnbv gy3t qojq====').bytes;
    assert.equal(Buffer.from(bytes).toString('ascii'), '12345678901234567890');
  });

  it('refuses secrets under 128 bits', () => {
    assert.throws(() => decodeTotpSecret('GEZDGNBVGY3TQOJQ'), /at least 128 bits/);
  });
});
