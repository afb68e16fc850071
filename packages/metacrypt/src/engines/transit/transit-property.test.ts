// Property tests of the transit AEAD path: whatever the plaintext and context, decrypt undoes
// encrypt, and no single-bit change of the ciphertext (as text, or in its decoded bytes) is
// ever accepted.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { formatFrame, parseFrame } from './cipher-frame.js';
import { fakeContext, testEngine } from './transit-test-kit.js';

const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));

describe('transit properties', () => {
  for (const type of ['aes256-gcm', 'chacha20-poly1305']) {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'k', type);

    it(`${type}: decrypt(encrypt(x, context), context) = x`, () => {
      fc.assert(
        fc.property(bytes, bytes, (plaintext, context) => {
          const { ciphertext } = engine.encrypt(ctx, 'k', { plaintext, context });
          assert.deepEqual(engine.decrypt(ctx, 'k', { ciphertext, context }).plaintext, plaintext);
        }),
        { numRuns: 200 },
      );
    });

    it(`${type}: any single bit flip of the ciphertext text is refused`, () => {
      fc.assert(
        fc.property(bytes, bytes, fc.nat(), fc.integer({ min: 0, max: 7 }), (plaintext, context, at, bit) => {
          const { ciphertext } = engine.encrypt(ctx, 'k', { plaintext, context });
          const i = at % ciphertext.length;
          const flipped =
            ciphertext.slice(0, i) + String.fromCharCode(ciphertext.charCodeAt(i) ^ (1 << bit)) + ciphertext.slice(i + 1);
          assert.throws(() => engine.decrypt(ctx, 'k', { ciphertext: flipped, context }), InvalidRequestError);
        }),
        { numRuns: 300 },
      );
    });

    it(`${type}: any single bit flip of the sealed bytes is refused`, () => {
      fc.assert(
        fc.property(bytes, bytes, fc.nat(), fc.integer({ min: 0, max: 7 }), (plaintext, context, at, bit) => {
          const frame = parseFrame(engine.encrypt(ctx, 'k', { plaintext, context }).ciphertext, 'ciphertext');
          const sealed = Buffer.from(frame.bytes);
          sealed[at % sealed.length]! ^= 1 << bit;
          assert.throws(
            () => engine.decrypt(ctx, 'k', { ciphertext: formatFrame(frame.version, sealed), context }),
            (err: unknown) => err instanceof InvalidRequestError && err.message === 'ciphertext could not be decrypted',
          );
        }),
        { numRuns: 300 },
      );
    });
  }
});
