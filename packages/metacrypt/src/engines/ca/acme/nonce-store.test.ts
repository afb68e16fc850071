import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NonceStore } from './nonce-store.js';

describe('NonceStore', () => {
  it('accepts each issued nonce exactly once', () => {
    const nonces = new NonceStore();
    const a = nonces.issue();
    const b = nonces.issue();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(nonces.consume(a), true);
    assert.equal(nonces.consume(a), false);
    assert.equal(nonces.consume('never-issued'), false);
    assert.equal(nonces.consume(b), true);
  });

  it('refuses expired nonces (frozen clock)', () => {
    let now = 1_000_000;
    const nonces = new NonceStore({ ttlMs: 1000, now: () => now });
    const a = nonces.issue();
    const b = nonces.issue();
    now += 999;
    assert.equal(nonces.consume(a), true);
    now += 1;
    assert.equal(nonces.consume(b), false);
  });

  it('stays bounded, dropping the oldest nonce first', () => {
    const nonces = new NonceStore({ maxCount: 3 });
    const issued = Array.from({ length: 5 }, () => nonces.issue());
    assert.equal(nonces.size, 3);
    assert.equal(nonces.consume(issued[0]!), false);
    assert.equal(nonces.consume(issued[1]!), false);
    assert.equal(nonces.consume(issued[4]!), true);
  });
});
