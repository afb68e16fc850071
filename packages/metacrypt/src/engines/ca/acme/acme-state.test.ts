import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { memoryBarrierView } from '../../../engine/index.js';
import { authzStatus, currentOrder, settleOrder } from './acme-state.js';
import { AcmeStore, type AuthzRecord, type OrderRecord } from './acme-store.js';

const now = new Date('2026-01-01T00:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms).toISOString();

function setup(statuses: AuthzRecord['status'][]) {
  const store = new AcmeStore(memoryBarrierView());
  const authzs: AuthzRecord[] = statuses.map((status, i) => ({
    id: `authz-${i}-0123456789abcdef`,
    accountId: 'acct-0123456789abcdef',
    orderId: 'order-0123456789abcdef',
    identifier: { type: 'dns', value: `h${i}.example.test` },
    wildcard: false,
    status,
    expires: later(60_000),
    challenges: [],
  }));
  for (const a of authzs) store.putAuthz(a);
  const order: OrderRecord = {
    id: 'order-0123456789abcdef',
    accountId: 'acct-0123456789abcdef',
    status: 'pending',
    expires: later(60_000),
    identifiers: authzs.map((a) => a.identifier),
    authzIds: authzs.map((a) => a.id),
    createdAt: now.toISOString(),
  };
  store.putOrder(order);
  return { store, order, authzs };
}

describe('order and authorization status', () => {
  it('is ready once every authorization is valid, and settleOrder stores that', () => {
    const { store, order } = setup(['valid', 'pending']);
    assert.equal(currentOrder(store, order, now).status, 'pending');
    const { store: s2, order: o2 } = setup(['valid', 'valid']);
    assert.equal(settleOrder(s2, o2, now).status, 'ready');
    assert.equal(s2.order(o2.id)?.status, 'ready');
  });

  it('fails when an authorization fails, is deactivated or expires, even after ready', () => {
    for (const bad of ['invalid', 'deactivated'] as const) {
      const { store, order } = setup(['valid', bad]);
      assert.equal(currentOrder(store, { ...order, status: 'ready' }, now).status, 'invalid');
    }
    const { store, order, authzs } = setup(['pending']);
    assert.equal(authzStatus(authzs[0]!, new Date(now.getTime() + 60_000)), 'expired');
    assert.equal(currentOrder(store, order, new Date(now.getTime() + 60_000)).status, 'invalid');
  });

  it('leaves finished orders alone', () => {
    const { store, order } = setup(['invalid']);
    assert.equal(currentOrder(store, { ...order, status: 'valid' }, now).status, 'valid');
  });
});
