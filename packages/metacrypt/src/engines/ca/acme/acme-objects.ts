import { authzStatus } from './acme-state.js';
import type { AccountRecord, AuthzRecord, ChallengeRecord, OrderRecord } from './acme-store.js';
import type { AcmeUrls } from './acme-urls.js';

/** The JSON resources of RFC 8555 §7.1, rendered from stored records with absolute URLs. */

/** directoryObject is the directory (RFC 8555 §7.1.1); EAB is required (spec §6.2). */
export function directoryObject(urls: AcmeUrls): Record<string, unknown> {
  return {
    newNonce: urls.newNonce,
    newAccount: urls.newAccount,
    newOrder: urls.newOrder,
    revokeCert: urls.revokeCert,
    keyChange: urls.keyChange,
    meta: { externalAccountRequired: true },
  };
}

/** accountObject is an account resource (RFC 8555 §7.1.2). */
export function accountObject(urls: AcmeUrls, account: AccountRecord): Record<string, unknown> {
  return {
    status: account.status,
    contact: account.contact,
    orders: urls.accountOrders(account.id),
    createdAt: account.createdAt,
  };
}

/** orderObject is an order resource (RFC 8555 §7.1.3); pass the order as currentOrder returned it. */
export function orderObject(urls: AcmeUrls, order: OrderRecord): Record<string, unknown> {
  return {
    status: order.status,
    expires: order.expires,
    identifiers: order.identifiers,
    authorizations: order.authzIds.map((id) => urls.authz(id)),
    finalize: urls.finalize(order.id),
    ...(order.certId !== undefined ? { certificate: urls.cert(order.certId) } : {}),
    ...(order.error !== undefined ? { error: order.error } : {}),
  };
}

/** challengeObject is a challenge (RFC 8555 §8). */
export function challengeObject(urls: AcmeUrls, challenge: ChallengeRecord): Record<string, unknown> {
  return {
    type: challenge.type,
    url: urls.challenge(challenge.id),
    status: challenge.status,
    token: challenge.token,
    ...(challenge.validated !== undefined ? { validated: challenge.validated } : {}),
    ...(challenge.error !== undefined ? { error: challenge.error } : {}),
  };
}

/** authzObject is an authorization (RFC 8555 §7.1.4). */
export function authzObject(urls: AcmeUrls, authz: AuthzRecord, now: Date): Record<string, unknown> {
  const status = authzStatus(authz, now);
  // A settled authorization lists only the challenge that decided it (RFC 8555 §7.1.4).
  const challenges = status === 'valid' ? authz.challenges.filter((c) => c.status === 'valid') : authz.challenges;
  return {
    identifier: authz.identifier,
    status,
    expires: authz.expires,
    challenges: challenges.map((c) => challengeObject(urls, c)),
    ...(authz.wildcard ? { wildcard: true } : {}),
  };
}
