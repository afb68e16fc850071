// The outbound validation limits of ChallengeRunner: a global and a per-account cap on running
// validations, a FIFO queue for the rest (one busy account never blocks another) and
// `rateLimited` once an account's queue is full. The check is a held promise, so what runs is
// counted exactly; no network and no timing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { SealedError } from '@metacircular/mcdsl';
import type { EngineHost } from '../../../engine/index.js';
import { acmeConfig } from './acme-config.js';
import { AcmeProblem } from './acme-problem.js';
import type { AuthzRecord, ChallengeRecord } from './acme-store.js';
import { ChallengeRunner } from './challenge.js';

const quiet = { warn() {}, error() {}, info() {}, debug() {} };
// A sealed host: every finished validation's result is dropped, which is all these tests need.
const host = {
  resolve() {
    throw new SealedError('metacrypt is sealed');
  },
  logger: quiet,
  now: () => new Date('2026-01-01T00:00:00Z'),
  audit() {},
} as unknown as EngineHost;

function challenge(account: string, n: number): { authz: AuthzRecord; chall: ChallengeRecord } {
  const chall: ChallengeRecord = { id: `${account}-chall-${n}`, type: 'http-01', token: 'tok', status: 'processing' };
  const authz: AuthzRecord = {
    id: `${account}-authz-${n}`,
    accountId: account,
    orderId: `${account}-order`,
    identifier: { type: 'dns', value: `${account}${n}.example.test` },
    wildcard: false,
    status: 'pending',
    expires: '2026-01-08T00:00:00Z',
    challenges: [chall],
  };
  return { authz, chall };
}

describe('challenge validation limits', () => {
  it('run at most `global` at once and `perAccount` per account; the rest wait, then rateLimited', async () => {
    const held = new Map<string, () => void>();
    const runner = new ChallengeRunner(host, acmeConfig(), {
      limits: { global: 6, perAccount: 4, queuedPerAccount: 3 },
      check: (_type, domain) => new Promise<void>((resolve) => held.set(domain, resolve)),
    });
    const start = (account: string, n: number) => {
      runner.checkCapacity(account);
      const { authz, chall } = challenge(account, n);
      return runner.start('pki', authz, chall, 'ka');
    };
    const runs = [1, 2, 3, 4, 5, 6, 7].map((n) => start('a', n));
    await tick();
    assert.deepEqual(
      [...held.keys()].sort(),
      ['a1', 'a2', 'a3', 'a4'].map((d) => `${d}.example.test`),
    );
    assert.ok(runner.isRunning('a-chall-7'), 'a queued validation counts as running (no restart)');
    assert.throws(
      () => start('a', 8),
      (e: unknown) => e instanceof AcmeProblem && e.acmeType === 'rateLimited' && e.status === 429,
    );
    runs.push(start('b', 1), start('b', 2), start('b', 3));
    await tick();
    assert.equal(held.size, 6, 'the global limit holds b3 back');
    assert.ok(!held.has('b3.example.test'));

    held.get('a1.example.test')!();
    await runs[0];
    await tick();
    assert.ok(held.has('a5.example.test'), 'the oldest waiter of the account takes the freed slot');
    assert.equal(held.size, 7);

    held.get('b1.example.test')!();
    await tick();
    assert.ok(held.has('b3.example.test'), 'b3 passes the waiting a6 and a7, whose account is full');
    assert.ok(!held.has('a6.example.test'));

    for (let i = 0; i < 20 && held.size < 10; i++) {
      for (const release of held.values()) release();
      await tick();
    }
    assert.equal(held.size, 10, 'every accepted validation ran');
    for (const release of held.values()) release();
    await Promise.all(runs);
    assert.ok(!runner.isRunning('a-chall-7'));
  });

  it('drain drops the waiting validations and waits for the running ones', async () => {
    const held = new Map<string, () => void>();
    const runner = new ChallengeRunner(host, acmeConfig(), {
      limits: { global: 1, perAccount: 1, queuedPerAccount: 5 },
      check: (_type, domain) => new Promise<void>((resolve) => held.set(domain, resolve)),
    });
    for (const n of [1, 2, 3]) {
      const { authz, chall } = challenge('a', n);
      void runner.start('pki', authz, chall, 'ka');
    }
    await tick();
    assert.equal(held.size, 1);
    const drained = runner.drain();
    held.get('a1.example.test')!();
    await drained;
    assert.equal(held.size, 1, 'the queued validations never ran');
    assert.ok(!runner.isRunning('a-chall-3'));
  });
});
