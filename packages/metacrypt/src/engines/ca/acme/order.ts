import { authzObject, orderObject } from './acme-objects.js';
import { AcmeProblem } from './acme-problem.js';
import { authzStatus, settleOrder } from './acme-state.js';
import { pendingRetryAfterSeconds } from './challenge.js';
import { accountOf, requireOwner, type AcmeCall, type AcmeReply } from './acme-call.js';

/** getOrder answers POST-as-GET on order/{id} with the order's current status (RFC 8555 §7.1.3). */
export function getOrder(call: AcmeCall): AcmeReply {
  const account = accountOf(call);
  const stored = requireOwner(call.store.order(call.id), account, 'order');
  const order = settleOrder(call.store, stored, call.now);
  return { status: 200, body: orderObject(call.urls, order), location: call.urls.order(order.id) };
}

/**
 * getAuthz answers authz/{id} (RFC 8555 §7.5): POST-as-GET reads it; `{"status":"deactivated"}`
 * deactivates a pending or valid authorization (§7.5.2), which also fails its order.
 */
export function getAuthz(call: AcmeCall): AcmeReply {
  const account = accountOf(call);
  let authz = requireOwner(call.store.authz(call.id), account, 'authorization');
  const payload = call.request.payload;
  if (payload?.status !== undefined) {
    if (payload.status !== 'deactivated')
      throw new AcmeProblem('malformed', 'an authorization status can only be set to "deactivated"');
    if (authz.status !== 'pending' && authz.status !== 'valid')
      throw new AcmeProblem('malformed', `a ${authz.status} authorization cannot be deactivated`);
    authz = { ...authz, status: 'deactivated' };
    call.store.putAuthz(authz);
    const order = call.store.order(authz.orderId);
    if (order) settleOrder(call.store, order, call.now);
  }
  // A pending authorization with a challenge being validated tells pollers when to look again (RFC 8555 §8.2).
  const validating = authzStatus(authz, call.now) === 'pending' && authz.challenges.some((c) => c.status === 'processing');
  return {
    status: 200,
    body: authzObject(call.urls, authz, call.now),
    location: call.urls.authz(authz.id),
    ...(validating ? { retryAfterSeconds: pendingRetryAfterSeconds } : {}),
  };
}
