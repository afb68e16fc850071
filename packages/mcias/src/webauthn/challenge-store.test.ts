import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { McError } from '@metacircular/mcdsl';
import { ChallengeStore, challengeBytes, challengeTtlMs, maxPendingChallenges } from './challenge-store.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('ChallengeStore', () => {
  it('makes 128-bit challenges and ids, each different', () => {
    const store = new ChallengeStore(clock().now);
    const a = store.put('login', '');
    const b = store.put('login', '');
    assert.equal(Buffer.from(a.id, 'base64url').length, challengeBytes);
    assert.equal(Buffer.from(a.challenge.challenge, 'base64url').length, challengeBytes);
    assert.equal(challengeBytes * 8, 128);
    assert.notEqual(a.id, b.id);
    assert.notEqual(a.challenge.challenge, b.challenge.challenge);
  });

  it('is single-use: a second take of the same id finds nothing', () => {
    const store = new ChallengeStore(clock().now);
    const { id, challenge } = store.put('register', 'uuid-1');
    assert.deepEqual(store.take(id, 'register'), challenge);
    assert.equal(store.take(id, 'register'), undefined);
  });

  it('refuses a challenge of the other kind, and consumes it anyway', () => {
    const store = new ChallengeStore(clock().now);
    const { id } = store.put('register', 'uuid-1');
    assert.equal(store.take(id, 'login'), undefined);
    assert.equal(store.take(id, 'register'), undefined);
  });

  it('expires after 120 s', () => {
    const c = clock();
    const store = new ChallengeStore(c.now);
    const early = store.put('login', 'alice');
    const late = store.put('login', 'alice');
    c.advance(challengeTtlMs - 1);
    assert.ok(store.take(early.id, 'login'));
    c.advance(1);
    assert.equal(challengeTtlMs, 120_000);
    assert.equal(store.take(late.id, 'login'), undefined);
  });

  it('drops expired challenges when new ones arrive, and caps the pending ones', () => {
    const c = clock();
    const store = new ChallengeStore(c.now);
    for (let i = 0; i < maxPendingChallenges; i++) store.put('login', '');
    assert.throws(
      () => store.put('login', ''),
      (err: unknown) => err instanceof McError && err.category === 'rate_limited',
    );
    c.advance(challengeTtlMs);
    store.put('login', '');
    assert.equal(store.size, 1);
    store.clear();
    assert.equal(store.size, 0);
  });
});
