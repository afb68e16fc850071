import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertEdDSAHeader } from './jwt-header.js';

const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('assertEdDSAHeader', () => {
  it('accepts alg EdDSA only', () => {
    assertEdDSAHeader(`${enc({ alg: 'EdDSA', typ: 'JWT' })}.${enc({})}.sig`);
    for (const alg of ['none', 'None', 'HS256', 'RS256', 'ES256', 'eddsa', 'Ed25519', '', null, 1]) {
      assert.throws(() => assertEdDSAHeader(`${enc({ alg })}.${enc({})}.sig`), { code: 'ERR_INVALID_TOKEN' }, String(alg));
    }
  });

  it('refuses malformed compact serialisations before parsing anything else', () => {
    for (const token of [
      '',
      'a.b',
      'a.b.c.d',
      `${enc({ alg: 'EdDSA' })}.${enc({})}.`,
      `${enc({ alg: 'EdDSA' })}..sig`,
      'e30.e30.sig',
      `${enc([1])}.e30.s`,
      `${enc('EdDSA')}.e30.s`,
      `${Buffer.from('{not json').toString('base64url')}.e30.s`,
      'x'.repeat(9000),
    ]) {
      assert.throws(() => assertEdDSAHeader(token), { code: 'ERR_INVALID_TOKEN' }, token.slice(0, 30));
    }
  });
});
