import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCookies, serializeCookie } from './cookies.js';

const tokenChars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split('');
const valueChars = Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i)).filter(
  (c) => !'";,\\'.includes(c),
);
const cookieName = fc.array(fc.constantFrom(...tokenChars), { minLength: 1, maxLength: 20 }).map((a) => a.join(''));
const cookieValue = fc.array(fc.constantFrom(...valueChars), { maxLength: 60 }).map((a) => a.join(''));

describe('parseCookies', () => {
  it('reads pairs, trims spaces, strips quotes and keeps the first of a repeated name', () => {
    const cookies = parseCookies(' a=1; b="two" ;c=x=y; a=ignored; junk; =nameless; bad name=1');
    assert.deepEqual(
      [...cookies],
      [
        ['a', '1'],
        ['b', 'two'],
        ['c', 'x=y'],
      ],
    );
  });

  it('returns an empty map for no header and has no prototype keys', () => {
    assert.equal(parseCookies(undefined).size, 0);
    const cookies = parseCookies('__proto__=1; constructor=2');
    assert.equal(cookies.get('__proto__'), '1');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (header) => {
        const cookies = parseCookies(header);
        for (const [name] of cookies) assert.match(name, /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/);
      }),
    );
  });

  it('reads back what serializeCookie wrote', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(cookieName, cookieValue), { selector: ([n]) => n, maxLength: 8 }), (pairs) => {
        // A browser sends back only name=value of each Set-Cookie.
        const header = pairs.map(([n, v]) => serializeCookie(n, v, { httpOnly: true }).split(';')[0]).join('; ');
        const cookies = parseCookies(header);
        for (const [n, v] of pairs) {
          const expected = v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
          assert.equal(cookies.get(n), expected);
        }
      }),
    );
  });
});

describe('serializeCookie', () => {
  it('writes the attributes in a fixed order', () => {
    assert.equal(
      serializeCookie('mc_session', 'abc', { maxAgeSeconds: 60, httpOnly: true, secure: true, sameSite: 'Strict' }),
      'mc_session=abc; Max-Age=60; Path=/; HttpOnly; Secure; SameSite=Strict',
    );
    assert.equal(serializeCookie('x', '', { maxAgeSeconds: 0 }), 'x=; Max-Age=0; Path=/');
  });

  it('refuses names, values and paths a browser would mangle', () => {
    assert.throws(() => serializeCookie('bad name', 'v'), TypeError);
    assert.throws(() => serializeCookie('n', 'a;b'), TypeError);
    assert.throws(() => serializeCookie('n', 'a b'), TypeError);
    assert.throws(() => serializeCookie('n', 'v', { path: '/a;Domain=evil' }), TypeError);
    assert.throws(() => serializeCookie('n', 'v', { maxAgeSeconds: 1.5 }), TypeError);
  });
});
