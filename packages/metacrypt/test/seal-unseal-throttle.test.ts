// The failed-unseal throttle on a frozen clock: exponential backoff after consecutive
// failures, at most 5 failures in any minute, reset of the backoff by a success.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimitedError } from '@metacircular/mcdsl';
import { UnsealThrottle } from '../src/seal/index.js';

describe('UnsealThrottle', () => {
  it('doubles the wait after each consecutive failure, capped at the maximum', () => {
    let t = 0;
    const th = new UnsealThrottle({ now: () => t, baseDelayMs: 1000, maxDelayMs: 8000, perMinute: 1000 });
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      th.check();
      th.failure();
      waits.push(th.waitMs());
      assert.throws(() => th.check(), RateLimitedError);
      t += th.waitMs();
    }
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('allows at most 5 failures in any minute, whatever the backoff', () => {
    let t = 0;
    const th = new UnsealThrottle({ now: () => t, baseDelayMs: 1, perMinute: 5 });
    for (let i = 0; i < 5; i++) {
      th.check();
      th.failure();
      t += 1_000;
      th.success(); // no backoff: only the per-minute cap is left
    }
    assert.throws(() => th.check(), /too many failed unseal attempts; try again in 55 s/);
    t = 59_999;
    assert.throws(() => th.check(), RateLimitedError);
    t = 60_000;
    th.check();
  });

  it('a success ends the backoff', () => {
    let t = 0;
    const th = new UnsealThrottle({ now: () => t });
    th.failure();
    assert.equal(th.waitMs(), 1000);
    th.success();
    assert.equal(th.waitMs(), 0);
    t += 1;
    th.check();
  });
});
