import { accountObject } from './acme-objects.js';
import { AcmeProblem } from './acme-problem.js';
import { callerOfOwner } from './acme-store.js';
import { accountOf, type AcmeCall, type AcmeReply } from './acme-call.js';
import { parseContact } from './new-account.js';

// The account URL of a request must be the signer's own (RFC 8555 §7.3.2).
function ownAccount(call: AcmeCall) {
  const account = accountOf(call);
  if (call.id !== account.id) throw new AcmeProblem('unauthorized', 'an account can only read or change itself', 403);
  return account;
}

/**
 * updateAccount reads (POST-as-GET or `{}`), updates the contact list of, or deactivates the
 * signing account (RFC 8555 §7.3.2, §7.3.6). Deactivation is final.
 */
export function updateAccount(call: AcmeCall): AcmeReply {
  let account = ownAccount(call);
  const payload = call.request.payload;
  if (payload?.status !== undefined && payload.status !== 'deactivated')
    throw new AcmeProblem('malformed', 'status can only be set to "deactivated"');
  if (payload?.contact !== undefined || payload?.status === 'deactivated') {
    account = {
      ...account,
      ...(payload.contact !== undefined ? { contact: parseContact(payload.contact) } : {}),
      ...(payload.status === 'deactivated' ? { status: 'deactivated' as const } : {}),
    };
    call.store.putAccount(account);
    call.host.audit({
      caller: callerOfOwner(account.owner),
      action: account.status === 'deactivated' ? 'acme.deactivate-account' : 'acme.update-account',
      mount: call.mount,
      resource: `ca/${call.mount}/acme`,
      result: 'allow',
      detail: { account: account.id },
    });
  }
  return { status: 200, body: accountObject(call.urls, account), location: call.urls.account(account.id) };
}

/** accountOrders lists the URLs of the signing account's orders (RFC 8555 §7.1.2.1), in storage order. */
export function accountOrders(call: AcmeCall): AcmeReply {
  const account = ownAccount(call);
  const orders = call.store.accountOrderIds(account.id).map((id) => call.urls.order(id));
  return { status: 200, body: { orders } };
}
