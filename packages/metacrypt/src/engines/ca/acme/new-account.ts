import { accountObject } from './acme-objects.js';
import { AcmeProblem } from './acme-problem.js';
import { callerOfOwner, newId, type AccountRecord } from './acme-store.js';
import type { AcmeCall, AcmeReply } from './acme-call.js';
import { consumeEab, verifyEab } from './eab.js';
import { thumbprint } from './jws.js';

/**
 * newAccount registers an account (RFC 8555 §7.3), or finds the one its key already has. The
 * request is signed with the new key (`jwk`). Steps, in order:
 *   1. a key that already has an account gets that account (200), no EAB needed
 *   2. onlyReturnExisting without an account -> accountDoesNotExist
 *   3. contact must be mailto: URIs                     -> invalidContact / unsupportedContact
 *   4. externalAccountBinding is required and verified  -> externalAccountRequired / unauthorized
 *   5. one transaction: the EAB is consumed, the account and its key index are written
 * The account inherits the EAB creator's identity and issuer (spec §6.3).
 */
export async function newAccount(call: AcmeCall): Promise<AcmeReply> {
  const jwk = call.request.jwk;
  if (!jwk) throw new AcmeProblem('malformed', 'new-account must be signed with the account key ("jwk")');
  const payload = call.request.payload ?? {};
  const tp = await thumbprint(jwk);

  const existingId = call.store.accountIdByThumbprint(tp);
  const existing = existingId === undefined ? undefined : call.store.account(existingId);
  if (existing) return { status: 200, body: accountObject(call.urls, existing), location: call.urls.account(existing.id) };
  if (payload.onlyReturnExisting === true)
    throw new AcmeProblem('accountDoesNotExist', 'no account exists for this key; register without onlyReturnExisting');

  const contact = parseContact(payload.contact);
  if (payload.externalAccountBinding === undefined)
    throw new AcmeProblem(
      'externalAccountRequired',
      'this server requires external account binding: get a kid and hmac key from POST /v1/acme/{mount}/eab',
    );
  const eab = await verifyEab(call.store, payload.externalAccountBinding, jwk, call.urls.newAccount, call.now);

  const account: AccountRecord = {
    id: newId(),
    status: 'valid',
    jwk,
    thumbprint: tp,
    contact,
    createdAt: call.now.toISOString(),
    eabKid: eab.kid,
    issuer: eab.issuer,
    owner: eab.owner,
  };
  call.store.view.transaction(() => {
    if (call.store.accountIdByThumbprint(tp) !== undefined)
      throw new AcmeProblem('malformed', 'an account for this key was registered by a concurrent request', 409);
    consumeEab(call.store, eab.kid, account.id, call.now);
    call.store.putAccount(account);
    call.store.putAccountKey(tp, account.id);
  });
  call.host.audit({
    caller: callerOfOwner(account.owner),
    action: 'acme.new-account',
    mount: call.mount,
    resource: `ca/${call.mount}/acme`,
    result: 'allow',
    detail: { account: account.id, eab_kid: eab.kid, issuer: account.issuer },
  });
  return { status: 201, body: accountObject(call.urls, account), location: call.urls.account(account.id) };
}

const maxContacts = 4;
// One address per mailto URI, no hfields (RFC 8555 §7.3: servers may refuse anything fancier).
const mailto = /^mailto:[^@\s?,;]+@[^@\s?,;]+$/;

/** parseContact checks an account's contact list (absent means none). */
export function parseContact(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > maxContacts || value.some((c) => typeof c !== 'string'))
    throw new AcmeProblem('invalidContact', `contact must be a list of at most ${maxContacts} mailto: URIs`);
  for (const c of value as string[]) {
    if (!c.toLowerCase().startsWith('mailto:'))
      throw new AcmeProblem('unsupportedContact', `contact "${c}" is not a mailto: URI`);
    if (!mailto.test(c) || c.length > 320)
      throw new AcmeProblem('invalidContact', `contact "${c}" is not a single email address`);
  }
  return value as string[];
}
