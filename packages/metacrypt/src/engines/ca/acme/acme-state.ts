import { problemDocument } from './acme-problem.js';
import type { AcmeStore, AuthzRecord, AuthzStatus, OrderRecord } from './acme-store.js';

/**
 * The status machines of RFC 8555 §7.1.6, computed from the stored records and the clock:
 *
 *   authorization: pending -> valid | invalid (one challenge decides); pending -> expired;
 *                  valid|pending -> deactivated (by the client)
 *   order:         pending -> ready (every authz valid) -> valid (finalize issued);
 *                  pending -> invalid (an authz failed, expired or was deactivated, or the order expired)
 *
 * Orders move to `valid` synchronously in finalize (issuance is local and fast), so `processing`
 * is never stored.
 */

/** orderLifetimeMs is how long an order and its authorizations stay usable (7 days). */
export const orderLifetimeMs = 7 * 24 * 3_600_000;

/** authzStatus is an authorization's status now (an unfinished one past its expiry is `expired`). */
export function authzStatus(authz: AuthzRecord, now: Date): AuthzStatus {
  if (authz.status === 'pending' && Date.parse(authz.expires) <= now.getTime()) return 'expired';
  return authz.status;
}

/**
 * currentOrder returns the order with its status brought up to date from its authorizations and
 * the clock. It does not write; settleOrder persists the same result.
 */
export function currentOrder(store: AcmeStore, order: OrderRecord, now: Date): OrderRecord {
  if (order.status !== 'pending' && order.status !== 'ready') return order;
  if (Date.parse(order.expires) <= now.getTime())
    return { ...order, status: 'invalid', error: problemDocument('malformed', 'order expired before it was finalized') };
  // A ready order is checked again too: deactivating an authorization after it became ready fails it.
  const statuses = order.authzIds.map((id) => {
    const authz = store.authz(id);
    return authz ? authzStatus(authz, now) : 'invalid';
  });
  if (statuses.every((s) => s === 'valid')) return order.status === 'ready' ? order : { ...order, status: 'ready' };
  const failed = statuses.find((s) => s !== 'valid' && s !== 'pending');
  if (failed !== undefined) {
    const firstError = order.authzIds
      .map((id) => store.authz(id))
      .flatMap((a) => a?.challenges ?? [])
      .find((c) => c.error !== undefined)?.error;
    return {
      ...order,
      status: 'invalid',
      error: firstError ?? problemDocument('unauthorized', `an authorization of the order is ${failed}`),
    };
  }
  return order;
}

/** settleOrder stores currentOrder's answer when it changed the status, and returns it. */
export function settleOrder(store: AcmeStore, order: OrderRecord, now: Date): OrderRecord {
  const current = currentOrder(store, order, now);
  if (current.status !== order.status) store.putOrder(current);
  return current;
}
