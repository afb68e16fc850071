import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tokenExpiry } from './token-expiry.js';

const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('tokenExpiry', () => {
  it('reads the exp claim of a JWT', () => {
    const token = `${part({ alg: 'EdDSA' })}.${part({ sub: 'x', exp: 1_900_000_000 })}.sig`;
    assert.equal(tokenExpiry(token)?.toISOString(), '2030-03-17T17:46:40.000Z');
  });

  it('gives undefined for anything it cannot read', () => {
    for (const token of [
      '',
      'opaque',
      'a.!!!.c',
      `a.${part(null)}.c`,
      `a.${part({ exp: 'soon' })}.c`,
      `a.${part({ exp: 1e300 })}.c`,
    ]) {
      assert.equal(tokenExpiry(token), undefined, token);
    }
  });
});
