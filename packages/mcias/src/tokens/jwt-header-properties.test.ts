// Property tests of the first parser every token meets: whatever bytes arrive, assertEdDSAHeader
// either accepts a header whose alg is exactly "EdDSA" or throws the one generic token error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { McError } from '@metacircular/mcdsl';
import { assertEdDSAHeader } from './jwt-header.js';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function outcome(token: string): 'accepted' | 'refused' {
  try {
    assertEdDSAHeader(token);
    return 'accepted';
  } catch (err) {
    assert.ok(err instanceof McError, `threw something else: ${String(err)}`);
    assert.equal(err.code, 'ERR_INVALID_TOKEN');
    return 'refused';
  }
}

describe('assertEdDSAHeader properties', () => {
  it('never throws anything but the token error on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => void outcome(s)),
      { numRuns: 2000 },
    );
  });

  it('accepts exactly the headers whose alg is "EdDSA", whatever else they hold', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.oneof(fc.constant('EdDSA'), fc.string(), fc.jsonValue()), (extra, alg) => {
        const header = typeof extra === 'object' && extra !== null && !Array.isArray(extra) ? { ...extra, alg } : { alg };
        const token = `${b64(header)}.${b64({ sub: 'x' })}.${b64('sig')}`;
        assert.equal(outcome(token), alg === 'EdDSA' ? 'accepted' : 'refused');
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses any header that is not a JSON object', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string()), (value) => {
        fc.pre(typeof value !== 'object' || value === null || Array.isArray(value));
        assert.equal(outcome(`${b64(value)}.${b64({})}.${b64('s')}`), 'refused');
      }),
    );
  });
});
