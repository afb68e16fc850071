import { randomBytes } from 'node:crypto';
import { ForbiddenError } from '@metacircular/mcdsl';
import { orderObject } from './acme-objects.js';
import { AcmeProblem, problemDocument, type ProblemDocument } from './acme-problem.js';
import { orderLifetimeMs } from './acme-state.js';
import { scheduleOrder, sweepExpired } from './acme-sweep.js';
import { callerOfOwner, newId, type AuthzRecord, type ChallengeRecord, type Identifier, type OrderRecord } from './acme-store.js';
import { accountOf, issuerResource, ownerContext, type AcmeCall, type AcmeReply } from './acme-call.js';

/** maxIdentifiers bounds one order (and so the work and storage one request can cause). */
export const maxIdentifiers = 100;

const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** isDnsName checks a lowercase DNS name of two or more labels that is not an IP address; a leading "*." is a wildcard. */
export function isDnsName(name: string): boolean {
  const base = name.startsWith('*.') ? name.slice(2) : name;
  if (base.length > 253) return false;
  const labels = base.split('.');
  return labels.length >= 2 && labels.every((l) => label.test(l)) && !/^[0-9]+$/.test(labels[labels.length - 1] ?? '');
}

/**
 * newOrder creates an order with one authorization per name (RFC 8555 §7.4). Checks, in order:
 *   1. identifiers: 1..100 of type "dns" with valid names      -> malformed / unsupportedIdentifier / rejectedIdentifier
 *   2. notBefore / notAfter are not supported                 -> malformed
 *   3. the account's issuer still exists                       -> malformed
 *   4. the EAB owner's policy allows `issue` of every name on the account's issuer
 *      (ctx.authorize with the names as SANs)                 -> rejectedIdentifier, one subproblem per refused name
 * Policy is checked again at finalize (CaEngine.signCsr), so a rule removed in between still counts.
 */
export function newOrder(call: AcmeCall): AcmeReply {
  const account = accountOf(call);
  const payload = call.request.payload;
  if (!payload) throw new AcmeProblem('malformed', 'new-order needs a payload with "identifiers"');
  const identifiers = parseIdentifiers(payload.identifiers);
  if (payload.notBefore !== undefined || payload.notAfter !== undefined)
    throw new AcmeProblem('malformed', 'notBefore and notAfter are not supported; the issuer sets the validity');
  if (!call.engine.issuerNames().includes(account.issuer))
    throw new AcmeProblem('malformed', `the account's issuer "${account.issuer}" no longer exists; register a new account`);

  const names = identifiers.map((i) => i.value);
  const ctx = ownerContext(call, account);
  const resource = issuerResource(call, account);
  try {
    ctx.authorize('issue', resource, { sans: names });
  } catch (err) {
    if (!(err instanceof ForbiddenError)) throw err;
    const refused = names.filter((name) => !allowed(() => ctx.authorize('issue', resource, { sans: [name] })));
    call.host.audit({
      caller: callerOfOwner(account.owner),
      action: 'acme.new-order',
      mount: call.mount,
      resource,
      result: 'deny',
      reason: 'policy does not allow the names',
      detail: { account: account.id, sans: names },
    });
    const subproblems: ProblemDocument[] = (refused.length > 0 ? refused : names).map((value) =>
      problemDocument('rejectedIdentifier', `policy does not allow ${account.owner.username} certificates for "${value}"`, {
        identifier: { type: 'dns', value },
      }),
    );
    throw new AcmeProblem(
      'rejectedIdentifier',
      `policy does not allow ${account.owner.username} to order certificates for ${(refused.length > 0 ? refused : names).join(', ')}`,
      403,
      { subproblems },
    );
  }

  const expires = new Date(call.now.getTime() + orderLifetimeMs).toISOString();
  const orderId = newId();
  const authzs: AuthzRecord[] = identifiers.map((identifier) => {
    const wildcard = identifier.value.startsWith('*.');
    const challenge = (type: ChallengeRecord['type']): ChallengeRecord => ({
      id: newId(),
      type,
      token: randomBytes(32).toString('base64url'),
      status: 'pending',
    });
    return {
      id: newId(),
      accountId: account.id,
      orderId,
      identifier: { type: 'dns', value: wildcard ? identifier.value.slice(2) : identifier.value },
      wildcard,
      status: 'pending',
      expires,
      // Wildcards can only be proven through DNS (RFC 8555 §7.1.3).
      challenges: wildcard ? [challenge('dns-01')] : [challenge('http-01'), challenge('dns-01')],
    };
  });
  const order: OrderRecord = {
    id: orderId,
    accountId: account.id,
    status: 'pending',
    expires,
    identifiers,
    authzIds: authzs.map((a) => a.id),
    createdAt: call.now.toISOString(),
  };
  call.store.view.transaction(() => {
    sweepExpired(call.store, call.now);
    for (const authz of authzs) call.store.putAuthz(authz);
    call.store.putOrder(order);
    scheduleOrder(call.store, order);
  });
  call.host.audit({
    caller: callerOfOwner(account.owner),
    action: 'acme.new-order',
    mount: call.mount,
    resource,
    result: 'allow',
    detail: { account: account.id, order: order.id, sans: names },
  });
  return { status: 201, body: orderObject(call.urls, order), location: call.urls.order(order.id) };
}

function allowed(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

/** parseIdentifiers checks and normalizes (lowercase, deduplicated) an order's identifiers. */
export function parseIdentifiers(value: unknown): Identifier[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > maxIdentifiers)
    throw new AcmeProblem('malformed', `"identifiers" must be a list of 1 to ${maxIdentifiers} identifiers`);
  const seen = new Set<string>();
  const invalid: ProblemDocument[] = [];
  for (const item of value) {
    const type = (item as { type?: unknown } | null)?.type;
    const raw = (item as { value?: unknown } | null)?.value;
    if (type !== 'dns')
      throw new AcmeProblem('unsupportedIdentifier', `identifier type ${JSON.stringify(type)} is not supported; only "dns" is`);
    if (typeof raw !== 'string') throw new AcmeProblem('malformed', 'every identifier needs a string "value"');
    const name = raw.toLowerCase();
    if (!isDnsName(name))
      invalid.push(
        problemDocument('rejectedIdentifier', `"${raw}" is not a valid dns name`, { identifier: { type: 'dns', value: raw } }),
      );
    seen.add(name);
  }
  if (invalid.length > 0)
    throw new AcmeProblem('rejectedIdentifier', `invalid dns names: ${invalid.map((p) => p.identifier?.value).join(', ')}`, 400, {
      subproblems: invalid,
    });
  return [...seen].map((name) => ({ type: 'dns' as const, value: name }));
}
