import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { matchResourceGlob, resourceGlobProblem } from './resource-glob.js';

const segment = fc.stringMatching(/^[a-z0-9-]{1,6}$/);
const path = fc.array(segment, { minLength: 1, maxLength: 6 });

describe('matchResourceGlob', () => {
  const cases: Array<[string, string, boolean]> = [
    ['ca/pki/issuer/infra', 'ca/pki/issuer/infra', true],
    ['ca/pki/issuer/infra', 'ca/pki/issuer/services', false],
    ['ca/pki/issuer/*', 'ca/pki/issuer/infra', true],
    ['ca/*/issuer/infra', 'ca/pki/issuer/infra', true],
    ['ca/*', 'ca/pki/issuer/infra', false],
    ['ca/**', 'ca/pki/issuer/infra', true],
    ['ca/**', 'ca', true],
    ['ca/**', 'transit/t/keys/k', false],
    ['**', 'user/u', true],
    ['transit/**/keys/*', 'transit/t/keys/k', true],
    ['transit/**/k', 'transit/t/keys/k', true],
    ['**/keys/*', 'transit/t/keys/k', true],
    ['*/*/keys/*', 'transit/t/keys/k', true],
    ['*', 'user', true],
    ['*', 'user/u', false],
    ['user/u', 'user/u/extra', false],
    ['CA/pki', 'ca/pki', false],
  ];
  for (const [glob, resource, want] of cases) {
    it(`${glob} ${want ? 'matches' : 'does not match'} ${resource}`, () => {
      assert.equal(matchResourceGlob(glob, resource), want);
    });
  }

  it('a path without wildcards matches itself and only itself', () => {
    fc.assert(
      fc.property(path, path, (a, b) => {
        assert.equal(matchResourceGlob(a.join('/'), b.join('/')), a.join('/') === b.join('/'));
      }),
    );
  });

  it('"*" stands for exactly one segment', () => {
    fc.assert(
      fc.property(path, fc.nat(), path, (p, i, r) => {
        const at = i % p.length;
        const glob = p.map((s, j) => (j === at ? '*' : s)).join('/');
        assert.equal(matchResourceGlob(glob, p.join('/')), true);
        const want = r.length === p.length && r.every((s, j) => j === at || s === p[j]);
        assert.equal(matchResourceGlob(glob, r.join('/')), want);
      }),
    );
  });

  it('"prefix/**" matches the prefix and everything below it, nothing else', () => {
    fc.assert(
      fc.property(path, fc.array(segment, { maxLength: 4 }), path, (prefix, below, other) => {
        const glob = [...prefix, '**'].join('/');
        assert.equal(matchResourceGlob(glob, [...prefix, ...below].join('/')), true);
        const isBelow = other.length >= prefix.length && prefix.every((s, j) => other[j] === s);
        assert.equal(matchResourceGlob(glob, other.join('/')), isBelow);
      }),
    );
  });

  it('"**" matches every path', () => {
    fc.assert(fc.property(path, (p) => assert.equal(matchResourceGlob('**', p.join('/')), true)));
  });

  it('stays fast with many "**" segments', () => {
    const glob = Array.from({ length: 30 }, () => '**').join('/') + '/x';
    const resource = Array.from({ length: 60 }, () => 'a').join('/');
    assert.equal(matchResourceGlob(glob, resource), false);
  });
});

describe('resourceGlobProblem', () => {
  it('accepts the spec resources and globs', () => {
    for (const glob of ['ca/pki/issuer/infra', 'ca/*/certs', 'transit/**', '**', 'user/u2u', 'sshca/ssh/profile/user_default']) {
      assert.equal(resourceGlobProblem(glob), undefined, glob);
    }
  });
  it('refuses empty segments, partial wildcards, odd characters and long globs', () => {
    for (const glob of ['', '/ca', 'ca/', 'ca//pki', 'ca/app-*', 'ca/***', 'ca/p ki', 'ca/ü', 'x'.repeat(257)]) {
      assert.ok(resourceGlobProblem(glob), glob);
    }
  });
});
