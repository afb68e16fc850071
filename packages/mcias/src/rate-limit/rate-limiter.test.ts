import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('lets a burst through, refuses the next, and refills with time (frozen clock)', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 3, burst: 5 }, () => now);
    for (let i = 0; i < 5; i++) assert.equal(limiter.take('a'), true);
    assert.equal(limiter.take('a'), false);
    assert.equal(limiter.take('b'), true, 'buckets are per key');
    now += 334;
    assert.equal(limiter.take('a'), true, 'one token after a third of a second');
    assert.equal(limiter.take('a'), false);
    now += 10_000;
    for (let i = 0; i < 5; i++) assert.equal(limiter.take('a'), true, 'refills to the burst, not beyond');
    assert.equal(limiter.take('a'), false);
  });

  it('stays bounded under many keys', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, () => now, 10);
    for (let i = 0; i < 100; i++) assert.equal(limiter.take(`k${i}`), true);
    now += 5000;
    assert.equal(limiter.take('k0'), true);
  });
});
