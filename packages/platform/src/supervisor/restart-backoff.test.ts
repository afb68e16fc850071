import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestartBackoff } from './restart-backoff.js';

test('the delay doubles per consecutive crash up to the maximum', () => {
  const backoff = new RestartBackoff({ initialMs: 500, maxMs: 4000, resetAfterMs: 60_000 });
  const delays = [0, 1, 2, 3, 4, 5].map(() => backoff.next(10).delayMs);
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 4000, 4000]);
});

test('a run longer than resetAfterMs starts the sequence over', () => {
  const backoff = new RestartBackoff({ initialMs: 100, maxMs: 10_000, resetAfterMs: 1000 });
  assert.deepEqual(backoff.next(5), { delayMs: 100, attempt: 1 });
  assert.deepEqual(backoff.next(5), { delayMs: 200, attempt: 2 });
  assert.deepEqual(backoff.next(1000), { delayMs: 100, attempt: 1 });
});

test('defaults are 0.5 s doubling to 30 s', () => {
  const backoff = new RestartBackoff();
  const delays = Array.from({ length: 9 }, () => backoff.next(0).delayMs);
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});
