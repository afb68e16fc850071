import type { AcmeStore, EabRecord, OrderRecord } from './acme-store.js';

/** orderGraceMs is how long an expired order and its authorizations stay readable before the sweep deletes them (1 day). */
export const orderGraceMs = 24 * 3_600_000;

/** sweepBatch bounds the records one sweep deletes, so a request that triggers it stays cheap. */
export const sweepBatch = 50;

/**
 * sweepExpired deletes at most `limit` ACME records whose time has passed: EAB credentials past
 * their expiry (used or not) and orders (with their authorizations and challenge indexes) that
 * expired more than orderGraceMs ago. Issued certificates stay: their URLs outlive the order.
 * It runs inside the caller's transaction on EAB and order creation, so storage shrinks at the
 * pace it grows; it lists the time-sorted `expiry/` index (paths only) and decrypts only the
 * records that are due. Returns the count.
 */
export function sweepExpired(store: AcmeStore, now: Date, limit: number = sweepBatch): number {
  const due = store.dueExpiries(now, limit);
  for (const { path, kind, id } of due) {
    if (kind === 'eab') {
      const eab = store.eab(id);
      if (eab) {
        store.deleteEabOwner(eab.owner.username, id);
        store.deleteEab(id);
      }
    } else {
      const order = store.order(id);
      if (order) store.deleteOrder(order);
    }
    store.view.delete(path);
  }
  return due.length;
}

/** scheduleEab puts new credentials on the sweep's list (and the owner's outstanding list). */
export function scheduleEab(store: AcmeStore, eab: EabRecord): void {
  store.putEabOwner(eab.owner.username, eab.kid);
  store.putExpiry('eab', eab.kid, new Date(eab.expiresAt));
}

/** scheduleOrder puts a new order on the sweep's list, a grace day after it expires. */
export function scheduleOrder(store: AcmeStore, order: OrderRecord): void {
  store.putExpiry('order', order.id, new Date(Date.parse(order.expires) + orderGraceMs));
}
