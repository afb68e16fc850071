import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { migrate, openDatabase } from '@metacircular/mcdsl';
import { AccountStore, FailedLoginStore, migrations } from '../store/index.js';
import { Lockout } from './lockout.js';

describe('Lockout', () => {
  const setup = () => {
    const db = openDatabase(':memory:');
    migrate(db, migrations);
    const id = new AccountStore(db).insert({ uuid: 'u1', username: 'u', accountType: 'human', passwordHash: 'x', now: 0 }).id;
    let now = 0;
    const lockout = new Lockout(new FailedLoginStore(db), { maxFailures: 3, windowMs: 600_000, durationMs: 900_000 }, () => now);
    return { id, lockout, at: (t: number) => void (now = t) };
  };

  it('locks after max failures within the window, for the duration', () => {
    const { id, lockout, at } = setup();
    assert.equal(lockout.recordFailure(id), false);
    assert.equal(lockout.recordFailure(id), false);
    assert.equal(lockout.recordFailure(id), true);
    assert.equal(lockout.isLocked(id), true);
    at(899_999);
    assert.equal(lockout.isLocked(id), true);
    at(900_000);
    assert.equal(lockout.isLocked(id), false);
    assert.equal(lockout.recordFailure(id), false, 'an expired lock starts a fresh count');
  });

  it('forgets failures outside the window and on reset', () => {
    const { id, lockout, at } = setup();
    lockout.recordFailure(id);
    lockout.recordFailure(id);
    at(600_000);
    assert.equal(lockout.recordFailure(id), false);
    lockout.recordFailure(id);
    lockout.reset(id);
    assert.equal(lockout.recordFailure(id), false);
    assert.equal(lockout.isLocked(id), false);
  });
});
