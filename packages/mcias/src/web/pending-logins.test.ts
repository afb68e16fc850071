import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PendingLogins, pendingLoginTtlMs } from './pending-logins.js';

// A clock moved by hand (the package's createTestClock would load the whole server).
function manualClock(start: number): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('PendingLogins', () => {
  it('hands out 128-bit nonces that can be taken once', () => {
    const clock = manualClock(1_000_000);
    const pending = new PendingLogins(clock.now);
    const a = pending.add('uuid-a', 'alice');
    const b = pending.add('uuid-b', 'bob');
    assert.match(a, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(Buffer.from(a, 'base64url').length, 16);
    assert.notEqual(a, b);
    assert.equal(pending.has(a), true);
    assert.deepEqual(pending.take(a), { accountUuid: 'uuid-a', username: 'alice', expiresAt: 1_000_000 + pendingLoginTtlMs });
    assert.equal(pending.take(a), undefined, 'single use');
    assert.equal(pending.has(a), false);
    assert.equal(pending.take(b)?.accountUuid, 'uuid-b');
  });

  it('expires after 90 s', () => {
    const clock = manualClock(0);
    const pending = new PendingLogins(clock.now);
    const a = pending.add('uuid-a', 'alice');
    clock.advance(pendingLoginTtlMs - 1);
    assert.equal(pending.has(a), true);
    clock.advance(1);
    assert.equal(pending.has(a), false);
    assert.equal(pending.take(a), undefined);
    pending.add('uuid-b', 'bob');
    assert.equal(pending.size, 1, 'expired entries are pruned on add');
  });

  it('refuses malformed nonces without looking them up', () => {
    const pending = new PendingLogins(manualClock(0).now);
    for (const bad of ['', 'x', 'a'.repeat(23), '__proto__', '../../etc/passwd']) {
      assert.equal(pending.has(bad), false);
      assert.equal(pending.take(bad), undefined);
    }
  });
});
