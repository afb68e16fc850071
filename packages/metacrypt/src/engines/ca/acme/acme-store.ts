import { createHash, randomBytes } from 'node:crypto';
import type { Caller } from '@metacircular/mcdsl';
import type { BarrierView } from '../../../engine/index.js';
import type { ProblemDocument } from './acme-problem.js';
import type { PublicJwk } from './jws.js';

/**
 * The ACME server's state, kept in the CA mount's barrier under `acme/` (CaEngine.acmeStorage),
 * so it is encrypted with the mount's DEK and deleted with the mount. Storage layout, relative to
 * that view:
 *
 *   eab/{kid}                          EAB credentials (HMAC key, issuer, owner); one-time, 24 h
 *   accounts/{id}                      an account: key, status, owner identity, issuer
 *   account-keys/{thumbprint}          -> account id; finds the account of a `jwk`-signed request
 *                                      and keeps one account per key
 *   account-orders/{account}/{order}   index behind the account's `orders` list
 *   orders/{id}, authz/{id}            orders and authorizations (challenges live inside their authz)
 *   challenges/{id}                    -> authz id; challenge URLs name the challenge only
 *   certs/{id}                         an issued chain (public data) with its account and serial
 *   cert-serials/{serial}              -> cert id; revoke-cert finds the record by the DER's serial
 *   eab-owners/{user hash}/{kid}       index of a user's unused EABs (the per-user cap counts them)
 *   expiry/{ms, 15 digits}/{kind}/{id} when an EAB or order (with its authzs) may be swept; sorted
 *                                      by time, so acme-sweep.ts reads only what is due
 *
 * Ids are 128 random bits, base64url; URL segments are checked against idPattern before any
 * lookup so a path parameter can never name another kind of record.
 */

/** OwnerRecord is the MCIAS identity an account acts as: the caller who created its EAB, minus the token. */
export interface OwnerRecord {
  readonly username: string;
  readonly roles: readonly string[];
  readonly accountType: string;
  readonly isAdmin: boolean;
  readonly isGuest: boolean;
}

export interface EabRecord {
  readonly kid: string;
  /** base64url HMAC key (stays inside the barrier) */
  readonly hmacKey: string;
  readonly issuer: string;
  readonly owner: OwnerRecord;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usedAt?: string;
  readonly accountId?: string;
}

export type AccountStatus = 'valid' | 'deactivated' | 'revoked';

export interface AccountRecord {
  readonly id: string;
  readonly status: AccountStatus;
  readonly jwk: PublicJwk;
  readonly thumbprint: string;
  readonly contact: readonly string[];
  readonly createdAt: string;
  readonly eabKid: string;
  readonly issuer: string;
  readonly owner: OwnerRecord;
}

export interface Identifier {
  readonly type: 'dns';
  readonly value: string;
}

export type ChallengeType = 'http-01' | 'dns-01';
export type ChallengeStatus = 'pending' | 'processing' | 'valid' | 'invalid';

export interface ChallengeRecord {
  readonly id: string;
  readonly type: ChallengeType;
  readonly token: string;
  readonly status: ChallengeStatus;
  readonly validated?: string;
  readonly error?: ProblemDocument;
}

export type AuthzStatus = 'pending' | 'valid' | 'invalid' | 'deactivated' | 'expired' | 'revoked';

export interface AuthzRecord {
  readonly id: string;
  readonly accountId: string;
  readonly orderId: string;
  /** the name to prove control of (the base domain for a wildcard order) */
  readonly identifier: Identifier;
  readonly wildcard: boolean;
  readonly status: AuthzStatus;
  readonly expires: string;
  readonly challenges: readonly ChallengeRecord[];
}

export type OrderStatus = 'pending' | 'ready' | 'processing' | 'valid' | 'invalid';

export interface OrderRecord {
  readonly id: string;
  readonly accountId: string;
  readonly status: OrderStatus;
  readonly expires: string;
  readonly identifiers: readonly Identifier[];
  readonly authzIds: readonly string[];
  readonly createdAt: string;
  readonly certId?: string;
  readonly error?: ProblemDocument;
}

export interface CertRecord {
  readonly id: string;
  readonly accountId: string;
  readonly orderId: string;
  readonly serial: string;
  /** leaf then chain, PEM */
  readonly pem: string;
  readonly revoked?: boolean;
}

/** idPattern is what every record id looks like (and what URL segments are checked against). */
export const idPattern = /^[A-Za-z0-9_-]{16,64}$/;

// Any key segment: ids, thumbprints (base64url) and serials (hex); never '/', so never another prefix.
const safeSegment = /^[A-Za-z0-9_-]{1,128}$/;

/** newId returns a fresh record id: 128 random bits, base64url. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** ownerOf keeps the identity fields of a caller, dropping the bearer token (never stored). */
export function ownerOf(caller: Caller): OwnerRecord {
  return {
    username: caller.username,
    roles: [...caller.roles],
    accountType: caller.accountType,
    isAdmin: caller.isAdmin,
    isGuest: caller.isGuest,
  };
}

/**
 * callerOfOwner rebuilds the Caller an account acts as, for policy checks (no token: nothing is
 * called on its behalf). It never carries the admin bypass, whatever the EAB's creator was: an
 * ACME account lives on long after the token that made it (and after any role change in
 * MCIAS), so its names are always decided by policy rules. An operator who wants an account
 * to issue broadly writes a rule for it (POLICY.md, "ACME accounts").
 */
export function callerOfOwner(owner: OwnerRecord): Caller {
  return { ...owner, roles: [...owner.roles], isAdmin: false, token: '' };
}

/** ExpiryKind names what an `expiry/` entry schedules for deletion. */
export type ExpiryKind = 'eab' | 'order';

// Usernames may hold characters no key segment allows, so the owner index uses their SHA-256.
function ownerKey(username: string): string {
  return createHash('sha256').update(username, 'utf8').digest('base64url');
}

/** normalizeSerial is the index form of a serial: lowercase hex without separators or leading zeros. */
export function normalizeSerial(serial: string): string {
  return serial
    .toLowerCase()
    .replace(/:/g, '')
    .replace(/^0+(?=.)/, '');
}

/** AcmeStore reads and writes the records above in one mount's `acme/` view. */
export class AcmeStore {
  readonly view: BarrierView;

  constructor(view: BarrierView) {
    this.view = view;
  }

  #get<T>(prefix: string, id: string): T | undefined {
    return safeSegment.test(id) ? this.view.getJSON<T>(prefix + id) : undefined;
  }

  eab(kid: string): EabRecord | undefined {
    return this.#get('eab/', kid);
  }
  putEab(r: EabRecord): void {
    this.view.putJSON(`eab/${r.kid}`, r);
  }

  account(id: string): AccountRecord | undefined {
    return this.#get('accounts/', id);
  }
  putAccount(r: AccountRecord): void {
    this.view.putJSON(`accounts/${r.id}`, r);
  }
  accountIdByThumbprint(tp: string): string | undefined {
    return this.#get<{ accountId: string }>('account-keys/', tp)?.accountId;
  }
  putAccountKey(tp: string, accountId: string): void {
    this.view.putJSON(`account-keys/${tp}`, { accountId });
  }
  deleteAccountKey(tp: string): void {
    this.view.delete(`account-keys/${tp}`);
  }
  accountOrderIds(accountId: string): string[] {
    const prefix = `account-orders/${accountId}/`;
    return this.view.list(prefix).map((p) => p.slice(prefix.length));
  }

  order(id: string): OrderRecord | undefined {
    return this.#get('orders/', id);
  }
  putOrder(r: OrderRecord): void {
    this.view.putJSON(`orders/${r.id}`, r);
    this.view.putJSON(`account-orders/${r.accountId}/${r.id}`, {});
  }

  authz(id: string): AuthzRecord | undefined {
    return this.#get('authz/', id);
  }
  putAuthz(r: AuthzRecord): void {
    this.view.putJSON(`authz/${r.id}`, r);
    for (const c of r.challenges) this.view.putJSON(`challenges/${c.id}`, { authzId: r.id });
  }
  authzIdOfChallenge(challengeId: string): string | undefined {
    return this.#get<{ authzId: string }>('challenges/', challengeId)?.authzId;
  }

  /** eabKidsOf lists the kids in the owner index of `username` (unused EABs, plus stale entries not yet cleaned). */
  eabKidsOf(username: string): string[] {
    const prefix = `eab-owners/${ownerKey(username)}/`;
    return this.view.list(prefix).map((p) => p.slice(prefix.length));
  }
  putEabOwner(username: string, kid: string): void {
    this.view.putJSON(`eab-owners/${ownerKey(username)}/${kid}`, {});
  }
  deleteEabOwner(username: string, kid: string): void {
    this.view.delete(`eab-owners/${ownerKey(username)}/${kid}`);
  }
  deleteEab(kid: string): void {
    this.view.delete(`eab/${kid}`);
  }

  /** putExpiry schedules the record `kind/id` for the sweep at `at`. */
  putExpiry(kind: ExpiryKind, id: string, at: Date): void {
    this.view.putJSON(`expiry/${String(Math.max(0, at.getTime())).padStart(15, '0')}/${kind}/${id}`, {});
  }
  /** dueExpiries returns up to `limit` scheduled entries due at or before `now`, oldest first. */
  dueExpiries(now: Date, limit: number): Array<{ path: string; kind: ExpiryKind; id: string }> {
    const due: Array<{ path: string; kind: ExpiryKind; id: string }> = [];
    for (const path of this.view.list('expiry/')) {
      const [, at, kind, id] = path.split('/');
      if (due.length >= limit || Number(at) > now.getTime()) break;
      if ((kind === 'eab' || kind === 'order') && id !== undefined) due.push({ path, kind, id });
      else this.view.delete(path);
    }
    return due;
  }

  /** deleteOrder removes an order, its authorizations and their challenge and account indexes. */
  deleteOrder(order: OrderRecord): void {
    for (const authzId of order.authzIds) {
      const authz = this.authz(authzId);
      for (const c of authz?.challenges ?? []) this.view.delete(`challenges/${c.id}`);
      this.view.delete(`authz/${authzId}`);
    }
    this.view.delete(`account-orders/${order.accountId}/${order.id}`);
    this.view.delete(`orders/${order.id}`);
  }

  cert(id: string): CertRecord | undefined {
    return this.#get('certs/', id);
  }
  putCert(r: CertRecord): void {
    this.view.putJSON(`certs/${r.id}`, r);
    this.view.putJSON(`cert-serials/${normalizeSerial(r.serial)}`, { certId: r.id });
  }
  /** certIdBySerial finds a certificate by serial in any hex spelling (case, leading zeros, colons). */
  certIdBySerial(serial: string): string | undefined {
    return this.#get<{ certId: string }>('cert-serials/', normalizeSerial(serial))?.certId;
  }
}
