import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { boxOverhead, openBox, sealBox } from './aead.js';

describe('vault boxes', () => {
  const key = randomBytes(32);

  it('round-trips with the same key and AAD, with a fresh nonce each time', () => {
    const a = sealBox(key, Buffer.from('secret'), 'mcias:totp:1');
    const b = sealBox(key, Buffer.from('secret'), 'mcias:totp:1');
    assert.notDeepEqual(a, b);
    assert.equal(a.length, 6 + boxOverhead);
    assert.equal(openBox(key, a, 'mcias:totp:1').toString(), 'secret');
  });

  it('refuses another AAD, another key, a flipped bit and a short box', () => {
    const box = sealBox(key, Buffer.from('secret'), 'mcias:totp:1');
    assert.throws(() => openBox(key, box, 'mcias:totp:2'), { code: 'ERR_BOX_OPEN' });
    assert.throws(() => openBox(randomBytes(32), box, 'mcias:totp:1'), { code: 'ERR_BOX_OPEN' });
    for (const i of [0, 5, box.length - 1]) {
      const bad = Buffer.from(box);
      bad[i] = (bad[i] ?? 0) ^ 1;
      assert.throws(() => openBox(key, bad, 'mcias:totp:1'), { code: 'ERR_BOX_OPEN' });
    }
    assert.throws(() => openBox(key, box.subarray(0, boxOverhead - 1), 'mcias:totp:1'), { code: 'ERR_BOX_OPEN' });
  });
});
