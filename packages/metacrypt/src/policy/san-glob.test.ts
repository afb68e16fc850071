import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isWildcardSan, matchSanGlob, sanGlobProblem } from './san-glob.js';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const name = fc.array(label, { minLength: 1, maxLength: 5 });

describe('matchSanGlob', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*.svc.mcp.example.test', 'mcns.svc.mcp.example.test', true],
    ['*.svc.mcp.example.test', 'MCNS.Svc.MCP.example.TEST', true],
    ['*.svc.mcp.example.test', 'svc.mcp.example.test', false],
    ['*.svc.mcp.example.test', 'a.b.svc.mcp.example.test', false],
    ['*.svc.mcp.example.test', 'example.test', false],
    ['*.svc.mcp.example.test', '*.svc.mcp.example.test', true],
    ['*.example.test', 'x.svc.mcp.example.test', false],
    ['example.test', 'example.test', true],
    ['*.*.example.test', 'a.b.example.test', true],
    ['10.0.0.*', '10.0.0.7', true],
    ['10.0.0.*', '10.0.1.7', false],
  ];
  for (const [glob, san, want] of cases) {
    it(`${glob} ${want ? 'matches' : 'does not match'} ${san}`, () => assert.equal(matchSanGlob(glob, san), want));
  }

  it('"*" matches exactly one label, whatever it is', () => {
    fc.assert(
      fc.property(name, label, name, (suffix, first, other) => {
        const glob = ['*', ...suffix].join('.');
        assert.equal(matchSanGlob(glob, [first, ...suffix].join('.')), true);
        assert.equal(matchSanGlob(glob, suffix.join('.')), false);
        assert.equal(matchSanGlob(glob, [first, first, ...suffix].join('.')), false);
        const want = other.length === suffix.length + 1 && suffix.every((l, i) => other[i + 1] === l);
        assert.equal(matchSanGlob(glob, other.join('.')), want);
      }),
    );
  });

  it('is case-insensitive both ways', () => {
    fc.assert(
      fc.property(name, fc.boolean(), (labels, upperGlob) => {
        const lower = labels.join('.');
        const upper = lower.toUpperCase();
        assert.equal(matchSanGlob(upperGlob ? upper : lower, upperGlob ? lower : upper), true);
      }),
    );
  });

  it('a literal glob matches only the same name', () => {
    fc.assert(
      fc.property(name, name, (a, b) => assert.equal(matchSanGlob(a.join('.'), b.join('.')), a.join('.') === b.join('.'))),
    );
  });
});

describe('sanGlobProblem and isWildcardSan', () => {
  it('accepts names and one-label wildcards', () => {
    for (const glob of [
      '*.svc.mcp.metacircular.net',
      'metacircular.net',
      '*.*.example.test',
      '10.0.0.*',
      '_acme-challenge.x.test',
    ]) {
      assert.equal(sanGlobProblem(glob), undefined, glob);
    }
  });
  it('refuses empty labels and partial wildcards', () => {
    for (const glob of ['', '.example.test', 'example.test.', 'a..b', 'web*.example.test', '**.example.test', 'a b.test']) {
      assert.ok(sanGlobProblem(glob), glob);
    }
  });
  it('spots wildcard names', () => {
    assert.equal(isWildcardSan('*.x.test'), true);
    assert.equal(isWildcardSan('x.test'), false);
  });
});
