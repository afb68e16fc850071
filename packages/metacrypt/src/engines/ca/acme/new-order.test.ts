import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AcmeProblem } from './acme-problem.js';
import { isDnsName, parseIdentifiers } from './new-order.js';

describe('isDnsName', () => {
  it('accepts host names and wildcards, refuses the rest', () => {
    for (const ok of ['a.example.test', 'web.svc.mcp.example.test', 'x-1.y2.test', '*.svc.example.test'])
      assert.ok(isDnsName(ok), ok);
    for (const bad of [
      'localhost',
      'a..b',
      '-a.test',
      'a-.test',
      'A.test',
      '127.0.0.1',
      'a.b.c.d1.2',
      '*.*.test',
      'a.*.test',
      `${'a'.repeat(64)}.test`,
      'a_b.test',
      '',
    ])
      assert.ok(!isDnsName(bad), bad);
  });
});

describe('parseIdentifiers', () => {
  it('lowercases and deduplicates dns identifiers', () => {
    assert.deepEqual(
      parseIdentifiers([
        { type: 'dns', value: 'A.Example.Test' },
        { type: 'dns', value: 'a.example.test' },
      ]),
      [{ type: 'dns', value: 'a.example.test' }],
    );
  });

  it('refuses other types, bad names (with subproblems) and bad lists', () => {
    const problem = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        assert.ok(err instanceof AcmeProblem);
        return err;
      }
      assert.fail('expected an AcmeProblem');
    };
    assert.equal(problem(() => parseIdentifiers([{ type: 'ip', value: '10.0.0.1' }])).acmeType, 'unsupportedIdentifier');
    const bad = problem(() =>
      parseIdentifiers([
        { type: 'dns', value: 'ok.test' },
        { type: 'dns', value: 'bad..test' },
      ]),
    );
    assert.equal(bad.acmeType, 'rejectedIdentifier');
    assert.deepEqual(
      bad.extra.subproblems?.map((s) => s.identifier?.value),
      ['bad..test'],
    );
    assert.equal(problem(() => parseIdentifiers([])).acmeType, 'malformed');
    assert.equal(problem(() => parseIdentifiers('x')).acmeType, 'malformed');
    assert.equal(
      problem(() => parseIdentifiers(Array.from({ length: 101 }, (_, i) => ({ type: 'dns', value: `h${i}.test` })))).acmeType,
      'malformed',
    );
  });

  it('never throws anything but an AcmeProblem', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          parseIdentifiers(input);
        } catch (err) {
          assert.ok(err instanceof AcmeProblem);
        }
      }),
    );
  });
});
