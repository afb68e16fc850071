import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError } from '@metacircular/mcdsl';
import fc from 'fast-check';
import { totpCodeAt, totpCounterAt, verifyTotp } from './verify-totp.js';

// RFC 6238 Appendix B: the SHA-1 key is the ASCII string "12345678901234567890".
const rfcSecret = Buffer.from('12345678901234567890', 'ascii');
const rfcSecretBase32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const rfcVectors: readonly [seconds: number, eightDigits: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

const step = 30_000;
const now = Date.UTC(2030, 0, 2, 3, 4, 5);
// A fixed secret keeps every run identical (and the collision guards below deterministic).
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('RFC 6238 Appendix B (SHA-1)', () => {
  it('uses the RFC key', () => {
    assert.equal(Buffer.from(rfcSecret).toString('ascii'), '12345678901234567890');
    // base32 of the RFC key, checked independently of otpauth's decoder
    assert.equal(rfcSecretBase32, base32(rfcSecret));
  });

  for (const [seconds, eightDigits] of rfcVectors) {
    it(`T=${seconds}s gives ...${eightDigits.slice(2)}`, () => {
      const code = eightDigits.slice(2);
      assert.equal(totpCodeAt(rfcSecretBase32, seconds * 1000), code);
      const result = verifyTotp(rfcSecretBase32, code, { now: seconds * 1000, window: 0 });
      assert.deepEqual(result, { ok: true, counter: Math.floor(seconds / 30) });
    });
  }
});

describe('verifyTotp', () => {
  const codeAt = (offsetSteps: number) => totpCodeAt(secret, now + offsetSteps * step);

  // isCodeOfWindow guards "refused" assertions against a legitimate code collision.
  function isCodeOfWindow(code: string, window: number): boolean {
    for (let offset = -window; offset <= window; offset++) if (codeAt(offset) === code) return true;
    return false;
  }

  it('accepts the current code and returns its step', () => {
    assert.deepEqual(verifyTotp(secret, codeAt(0), { now }), { ok: true, counter: totpCounterAt(now) });
  });

  it('accepts one step either side by default, not two', () => {
    assert.deepEqual(verifyTotp(secret, codeAt(-1), { now }), { ok: true, counter: totpCounterAt(now) - 1 });
    assert.deepEqual(verifyTotp(secret, codeAt(1), { now }), { ok: true, counter: totpCounterAt(now) + 1 });
    for (const offset of [-2, 2]) {
      assert.ok(!isCodeOfWindow(codeAt(offset), 1), 'the fixed secret has no collision here');
      assert.deepEqual(verifyTotp(secret, codeAt(offset), { now }), { ok: false }, `offset ${offset}`);
    }
  });

  it('honours the window option at its edges', () => {
    assert.equal(verifyTotp(secret, codeAt(-2), { now, window: 2 }).ok, true);
    assert.equal(verifyTotp(secret, codeAt(2), { now, window: 2 }).ok, true);
    assert.equal(verifyTotp(secret, codeAt(-1), { now, window: 0 }).ok, false);
    const startOfStep = totpCounterAt(now) * step;
    assert.equal(verifyTotp(secret, codeAt(0), { now: startOfStep, window: 0 }).ok, true, 'first ms of the step');
    assert.equal(verifyTotp(secret, codeAt(0), { now: startOfStep + step - 1, window: 0 }).ok, true, 'last ms');
    assert.deepEqual(verifyTotp(secret, codeAt(0), { now: startOfStep + step, window: 1 }), {
      ok: true,
      counter: totpCounterAt(now),
    });
  });

  it('refuses a replayed code and anything older than the last used step', () => {
    const first = verifyTotp(secret, codeAt(0), { now });
    assert.ok(first.ok);
    assert.deepEqual(verifyTotp(secret, codeAt(0), { now, lastUsedCounter: first.counter }), { ok: false });
    assert.deepEqual(verifyTotp(secret, codeAt(-1), { now, lastUsedCounter: first.counter }), { ok: false });
    assert.deepEqual(verifyTotp(secret, codeAt(1), { now, lastUsedCounter: first.counter }), {
      ok: true,
      counter: first.counter + 1,
    });
    // the next step's code is fine once time moves on
    assert.equal(verifyTotp(secret, codeAt(1), { now: now + step, lastUsedCounter: first.counter }).ok, true);
  });

  it('refuses a wrong code', () => {
    const wrong = String((Number(codeAt(0)) + 1) % 1_000_000).padStart(6, '0');
    assert.ok(!isCodeOfWindow(wrong, 1));
    assert.deepEqual(verifyTotp(secret, wrong, { now }), { ok: false });
    const foreign = totpCodeAt('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', now);
    assert.ok(!isCodeOfWindow(foreign, 1));
    assert.deepEqual(verifyTotp(secret, foreign, { now }), { ok: false }, "another secret's code");
  });

  it('refuses anything but exactly 6 ASCII digits without touching the secret', () => {
    const code = codeAt(0);
    const malformed = [
      '',
      code.slice(1),
      `${code}0`,
      ` ${code}`,
      `${code}\n`,
      `${code.slice(0, 3)} ${code.slice(3)}`,
      '１２３４５６',
      '١٢٣٤٥٦',
      '12345a',
      '-12345',
      '+12345',
      '1e5000',
    ];
    for (const bad of malformed) {
      assert.deepEqual(verifyTotp(secret, bad, { now }), { ok: false }, JSON.stringify(bad));
      // a secret that cannot even be decoded proves no HMAC was attempted
      assert.deepEqual(verifyTotp('not base32!', bad, { now }), { ok: false });
    }
    assert.deepEqual(verifyTotp(secret, 123456 as unknown as string, { now }), { ok: false });
  });

  it('refuses an invalid clock', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      assert.deepEqual(verifyTotp(secret, codeAt(0), { now: bad }), { ok: false });
    }
  });

  it('throws InvalidRequestError for a malformed secret, window or lastUsedCounter (caller bugs)', () => {
    assert.throws(() => verifyTotp('not base32!', '123456', { now }), InvalidRequestError);
    assert.throws(() => verifyTotp('GEZDGNBV', '123456', { now }), /at least 128 bits/);
    for (const lastUsedCounter of [Number.NaN, 1.5, Number.POSITIVE_INFINITY]) {
      assert.throws(() => verifyTotp(secret, '123456', { now, lastUsedCounter }), /lastUsedCounter must be an integer/);
    }
    for (const window of [-1, 1.5, 11, Number.NaN]) {
      assert.throws(() => verifyTotp(secret, '123456', { now, window }), InvalidRequestError);
    }
  });

  it('accepts random strings exactly when they are a code of the window, and never throws', () => {
    const valid = new Set([-1, 0, 1].map(codeAt));
    const strings = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[0-9]{5,7}$/));
    fc.assert(
      fc.property(strings, (code) => {
        assert.equal(verifyTotp(secret, code, { now }).ok, valid.has(code));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.anything(), fc.double(), (code, t) => {
        verifyTotp(secret, code as string, { now: t });
      }),
      { numRuns: 1000 },
    );
  });
});

// base32 is an independent RFC 4648 encoder for the check above.
function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out;
}
