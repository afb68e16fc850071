// ACME storage stays bounded: a user may hold at most maxOutstandingEabs unused credentials
// (429 beyond, and using or outliving one frees its place), and EAB and order creation sweep
// expired EABs and orders (with their authorizations) a day past expiry, a bounded batch per call.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimitedError, type Caller } from '@metacircular/mcdsl';
import { memoryBarrierView } from '../../../engine/index.js';
import { AcmeStore, type AuthzRecord, type OrderRecord } from './acme-store.js';
import { orderGraceMs, scheduleOrder, sweepExpired } from './acme-sweep.js';
import { consumeEab, createEab, eabLifetimeMs, maxOutstandingEabs } from './eab.js';

const caller = (username: string): Caller => ({
  username,
  roles: ['user'],
  accountType: 'human',
  isAdmin: false,
  isGuest: false,
  token: 't',
});
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function order(store: AcmeStore, id: string, expires: Date): OrderRecord {
  const authz: AuthzRecord = {
    id: `${id}-authz`,
    accountId: 'acct',
    orderId: id,
    identifier: { type: 'dns', value: 'a.example.test' },
    wildcard: false,
    status: 'pending',
    expires: expires.toISOString(),
    challenges: [{ id: `${id}-chall`, type: 'http-01', token: 'tok', status: 'pending' }],
  };
  const record: OrderRecord = {
    id,
    accountId: 'acct',
    status: 'pending',
    expires: expires.toISOString(),
    identifiers: [authz.identifier],
    authzIds: [authz.id],
    createdAt: t0.toISOString(),
  };
  store.putAuthz(authz);
  store.putOrder(record);
  scheduleOrder(store, record);
  return record;
}

describe('acme storage limits', () => {
  it(`caps a user's unused EABs at ${maxOutstandingEabs}; used or expired ones free their place`, () => {
    const store = new AcmeStore(memoryBarrierView());
    const kids = Array.from({ length: maxOutstandingEabs }, () => createEab(store, caller('ann'), 'infra', t0).kid);
    assert.throws(
      () => createEab(store, caller('ann'), 'infra', t0),
      (e: unknown) => e instanceof RateLimitedError && /ann already holds 20 unused eab credentials/.test(e.message),
    );
    assert.equal(store.view.list('eab/').length, maxOutstandingEabs, 'the refused call stored nothing');
    createEab(store, caller('bob'), 'infra', t0); // the cap is per user
    consumeEab(store, kids[0]!, 'acct-1', t0);
    createEab(store, caller('ann'), 'infra', t0);
    assert.throws(() => createEab(store, caller('ann'), 'infra', t0), RateLimitedError);
    createEab(store, caller('ann'), 'infra', at(eabLifetimeMs)); // all of the first batch expired
  });

  it('deletes expired EABs and orders a day past expiry when EABs or orders are created', () => {
    const store = new AcmeStore(memoryBarrierView());
    const old = createEab(store, caller('ann'), 'infra', t0);
    const used = createEab(store, caller('ann'), 'infra', t0);
    consumeEab(store, used.kid, 'acct', t0);
    order(store, 'order-old', at(1000));
    order(store, 'order-new', at(eabLifetimeMs * 3));
    createEab(store, caller('bob'), 'infra', at(eabLifetimeMs - 1));
    assert.ok(store.eab(old.kid), 'not yet expired');

    createEab(store, caller('bob'), 'infra', at(1000 + orderGraceMs));
    assert.equal(store.eab(old.kid), undefined);
    assert.equal(store.eab(used.kid), undefined);
    assert.equal(store.order('order-old'), undefined);
    assert.equal(store.authz('order-old-authz'), undefined);
    assert.equal(store.authzIdOfChallenge('order-old-chall'), undefined);
    assert.deepEqual(store.accountOrderIds('acct'), ['order-new']);
    assert.ok(store.order('order-new') && store.authz('order-new-authz'), 'an unexpired order stays');
    assert.deepEqual(store.eabKidsOf('ann'), [], 'the owner index is cleaned too');
  });

  it('sweeps a bounded batch per call, oldest first', () => {
    const store = new AcmeStore(memoryBarrierView());
    for (let i = 0; i < 7; i++) order(store, `order-${i}`, at(i));
    const later = at(10 + orderGraceMs);
    assert.equal(sweepExpired(store, later, 3), 3);
    assert.equal(store.order('order-0'), undefined);
    assert.ok(store.order('order-3'));
    assert.equal(sweepExpired(store, later, 3), 3);
    assert.equal(sweepExpired(store, later, 3), 1);
    assert.equal(sweepExpired(store, later, 3), 0);
    assert.deepEqual(store.view.list(''), []);
  });
});
