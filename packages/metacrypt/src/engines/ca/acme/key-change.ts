import { accountObject } from './acme-objects.js';
import { AcmeProblem } from './acme-problem.js';
import { callerOfOwner } from './acme-store.js';
import { accountOf, type AcmeCall, type AcmeReply } from './acme-call.js';
import { checkAlgorithm, parseJws, parsePayload, publicJwk, thumbprint, verifyJws } from './jws.js';

/**
 * keyChange rolls an account over to a new key (RFC 8555 §7.3.5). The outer JWS is signed by
 * the account (`kid`, checked by the route); its payload is an inner JWS signed by the new key.
 * Checks, in order:
 *   1. the inner JWS: accepted algorithm, a `jwk` (the new key), no `kid`, no nonce,
 *      the same `url` as the outer JWS                                -> malformed / badSignatureAlgorithm
 *   2. the inner signature verifies with the new key                   -> malformed
 *   3. the inner payload names this account and its current key       -> malformed
 *   4. no other account has the new key                               -> 409 with its Location
 * The account record and the key index change in one transaction.
 */
export async function keyChange(call: AcmeCall): Promise<AcmeReply> {
  const account = accountOf(call);
  const outer = call.request.payload;
  if (!outer) throw new AcmeProblem('malformed', 'key-change needs a payload: the inner jws signed by the new key');
  const { jws, header } = parseJws(outer);
  checkAlgorithm(header.alg);
  if (header.jwk === undefined || header.kid !== undefined)
    throw new AcmeProblem('malformed', 'the inner jws must carry the new key as "jwk" and no "kid"');
  if (header.nonce !== undefined) throw new AcmeProblem('malformed', 'the inner jws must not carry a nonce');
  if (header.url !== call.request.header.url) throw new AcmeProblem('malformed', 'the inner jws url must equal the outer url');
  const newKey = publicJwk(header.jwk, header.alg);
  const inner = parsePayload(await verifyJws(jws, header.alg, newKey));

  if (inner?.account !== call.urls.account(account.id))
    throw new AcmeProblem('malformed', 'the inner payload "account" must be the url of the signing account');
  let oldTp: string | undefined;
  try {
    oldTp = await thumbprint(publicJwk(inner.oldKey, algorithmFor(inner.oldKey)));
  } catch {
    oldTp = undefined;
  }
  if (oldTp !== account.thumbprint)
    throw new AcmeProblem('malformed', 'the inner payload "oldKey" must be the current account key');

  const newTp = await thumbprint(newKey);
  const updated = { ...account, jwk: newKey, thumbprint: newTp };
  call.store.view.transaction(() => {
    const holder = call.store.accountIdByThumbprint(newTp);
    if (holder !== undefined && holder !== account.id) {
      throw new AcmeProblem('malformed', 'another account already uses the new key', 409, {}, call.urls.account(holder));
    }
    call.store.deleteAccountKey(account.thumbprint);
    call.store.putAccountKey(newTp, account.id);
    call.store.putAccount(updated);
  });
  call.host.audit({
    caller: callerOfOwner(account.owner),
    action: 'acme.key-change',
    mount: call.mount,
    resource: `ca/${call.mount}/acme`,
    result: 'allow',
    detail: { account: account.id },
  });
  return { status: 200, body: accountObject(call.urls, updated), location: call.urls.account(account.id) };
}

// oldKey carries no alg; pick the one its type implies so publicJwk can check its members.
function algorithmFor(jwk: unknown): string {
  const k = jwk as { kty?: unknown; crv?: unknown } | null;
  if (k?.kty === 'RSA') return 'RS256';
  if (k?.kty === 'OKP') return 'EdDSA';
  return k?.crv === 'P-384' ? 'ES384' : 'ES256';
}
