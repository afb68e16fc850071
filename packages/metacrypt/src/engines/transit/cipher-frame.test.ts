import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { formatFrame, parseFrame } from './cipher-frame.js';

describe('cipher frame', () => {
  it('round-trips version and bytes', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
    const text = formatFrame(7, bytes);
    assert.equal(text, `metacrypt:v7:${bytes.toString('base64')}`);
    const frame = parseFrame(text, 'ciphertext');
    assert.equal(frame.version, 7);
    assert.deepEqual(frame.bytes, bytes);
  });

  it('formats a subarray without its backing buffer', () => {
    const whole = Buffer.from('abcdefgh');
    assert.equal(formatFrame(1, whole.subarray(2, 4)), 'metacrypt:v1:Y2Q=');
  });

  it('refuses malformed frames, naming the field', () => {
    const bad = [
      '',
      'metacrypt:v1:',
      'metacrypt:v0:AAAA',
      'metacrypt:v01:AAAA',
      'metacrypt:v-1:AAAA',
      'metacrypt:1:AAAA',
      'vault:v1:AAAA',
      'metacrypt:v1:AA AA',
      'metacrypt:v1:AA-_',
      'metacrypt:v1:AAA',
      'metacrypt:v99999999999:AAAA',
      'metacrypt:v1:AAAA\n',
    ];
    for (const text of bad) {
      assert.throws(
        () => parseFrame(text, 'signature'),
        (err: unknown) => err instanceof InvalidRequestError && err.message.startsWith('signature '),
        JSON.stringify(text),
      );
    }
  });

  it('refuses non-canonical base64 whose spare bits would decode to the same bytes', () => {
    // "AQ==" is [1]; "AR==" differs only in bits the decoder drops
    assert.deepEqual(Buffer.from('AR==', 'base64'), Buffer.from([1]));
    assert.equal(parseFrame('metacrypt:v1:AQ==', 'hmac').bytes[0], 1);
    assert.throws(() => parseFrame('metacrypt:v1:AR==', 'hmac'), InvalidRequestError);
  });

  it('refuses versions beyond 32 bits', () => {
    assert.throws(() => parseFrame('metacrypt:v4294967296:AAAA', 'ciphertext'), /out of range/);
    assert.equal(parseFrame('metacrypt:v4294967295:AAAA', 'ciphertext').version, 4294967295);
  });
});
