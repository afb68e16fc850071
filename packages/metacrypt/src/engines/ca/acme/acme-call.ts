import type { EngineHost, OpContext } from '../../../engine/index.js';
import type { CaEngine } from '../ca-types.js';
import type { AcmeConfig } from './acme-config.js';
import { AcmeProblem } from './acme-problem.js';
import { callerOfOwner, type AccountRecord, type AcmeStore } from './acme-store.js';
import type { AcmeUrls } from './acme-urls.js';
import type { SignedRequest } from './signed-request.js';

/** AcmeCall is everything one verified ACME POST's handler needs. */
export interface AcmeCall {
  readonly host: EngineHost;
  readonly config: AcmeConfig;
  readonly mount: string;
  readonly engine: CaEngine;
  readonly store: AcmeStore;
  readonly urls: AcmeUrls;
  readonly now: Date;
  readonly request: SignedRequest;
  /** the route's path parameters besides the mount (e.g. `id`) */
  readonly id: string;
}

/** AcmeReply is what a handler answers; the route adds Replay-Nonce and the index Link. */
export interface AcmeReply {
  readonly status: number;
  /** a JSON resource, or a string (the PEM chain) sent with `contentType` */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly location?: string;
  readonly links?: readonly { readonly url: string; readonly rel: string }[];
  /** sent as Retry-After (RFC 8555 §8.2) on a resource that is still being validated */
  readonly retryAfterSeconds?: number;
}

/** accountOf returns the account that signed a kid request (verifySignedRequest guarantees it for 'kid' routes). */
export function accountOf(call: AcmeCall): AccountRecord {
  const account = call.request.account;
  if (!account) throw new AcmeProblem('malformed', 'this request must be signed by an account ("kid")');
  return account;
}

/** requireOwner refuses access to another account's resource (the same answer as a missing one would leak existence). */
export function requireOwner<T extends { readonly accountId: string }>(
  record: T | undefined,
  account: AccountRecord,
  what: string,
): T {
  if (!record || record.accountId !== account.id) throw new AcmeProblem('malformed', `no such ${what}`, 404);
  return record;
}

/** ownerContext is the OpContext an account acts with: its EAB creator's identity on this mount. */
export function ownerContext(call: AcmeCall, account: AccountRecord): OpContext {
  return call.host.context(callerOfOwner(account.owner), call.mount);
}

/** issuerResource is the policy resource of the account's issuer. */
export function issuerResource(call: AcmeCall, account: AccountRecord): string {
  return `ca/${call.mount}/issuer/${account.issuer}`;
}
