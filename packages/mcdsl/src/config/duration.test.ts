import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { duration, parseDuration } from './duration.js';
import { McError } from '../errors/index.js';

describe('parseDuration', () => {
  it('reads Go duration strings as milliseconds', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('8760h'), 8760 * 3_600_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('.5m'), 30_000);
    assert.equal(parseDuration('1m0.5s'), 60_500);
    assert.equal(parseDuration('250us'), 0.25);
    assert.equal(parseDuration('1000000ns'), 1);
    assert.equal(parseDuration('0'), 0);
    assert.equal(parseDuration('-2s'), -2000);
    assert.equal(parseDuration('+2s'), 2000);
  });

  it('refuses anything else with a message naming the string', () => {
    for (const bad of ['', '30', 's', '1d', '1h 30m', '30 s', 'abc', '1.2.3s', '-', '1hh', '3sm']) {
      assert.throws(
        () => parseDuration(bad),
        (err: unknown) =>
          err instanceof McError && err.code === 'ERR_INVALID_DURATION' && err.message.includes(JSON.stringify(bad)),
        bad,
      );
    }
  });
});

describe('duration (zod)', () => {
  it('parses to milliseconds and applies a string default', () => {
    const schema = z.object({ t: duration('2m'), u: duration() });
    assert.deepEqual(schema.parse({ u: '1s' }), { t: 120_000, u: 1000 });
    assert.deepEqual(schema.parse({ t: '5s', u: '0' }), { t: 5000, u: 0 });
  });

  it('rejects bad and negative durations', () => {
    const schema = duration('1s');
    const bad = schema.safeParse('1 day');
    assert.equal(bad.success, false);
    assert.match(bad.error?.issues[0]?.message ?? '', /invalid duration "1 day"/);
    const negative = schema.safeParse('-1s');
    assert.equal(negative.success, false);
    assert.match(negative.error?.issues[0]?.message ?? '', /must not be negative/);
  });
});
