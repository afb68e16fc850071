import { AcmeProblem } from './acme-problem.js';
import type { AccountRecord, AcmeStore } from './acme-store.js';
import type { AcmeUrls } from './acme-urls.js';
import {
  algorithmOf,
  checkAlgorithm,
  parseJws,
  parsePayload,
  publicJwk,
  verifyJws,
  type FlattenedJws,
  type ProtectedHeader,
  type PublicJwk,
} from './jws.js';
import type { NonceStore } from './nonce-store.js';

/** SignedRequest is an ACME POST whose JWS passed every check of verifySignedRequest. */
export interface SignedRequest {
  readonly header: ProtectedHeader;
  readonly jws: FlattenedJws;
  /** undefined for POST-as-GET (empty payload) */
  readonly payload: Record<string, unknown> | undefined;
  /** the key that signed, when the JWS carried a `jwk` */
  readonly jwk?: PublicJwk;
  /** the account that signed, when the JWS carried a `kid` */
  readonly account?: AccountRecord;
}

/** KeyMode says how an endpoint's requests must name their key (RFC 8555 §6.2). */
export type KeyMode = 'kid' | 'jwk' | 'either';

/** SignedRequestInput is the raw request as the route saw it. */
export interface SignedRequestInput {
  readonly contentType: string | undefined;
  readonly body: unknown;
  /** the absolute URL the request was sent to, as the JWS `url` must name it */
  readonly url: string;
}

/**
 * verifySignedRequest runs the checks every ACME POST goes through, in this order, each with its
 * own problem type, before any handler reads the payload:
 *   1. content type application/jose+json             -> malformed (415)
 *   2. flattened JWS shape, decodable protected header -> malformed
 *   3. algorithm is an accepted signature algorithm   -> badSignatureAlgorithm
 *   4. nonce was issued by us and is unused (it is consumed here, whatever happens next)
 *                                                       -> badNonce (the error carries a fresh one)
 *   5. `url` equals the URL the request was sent to    -> unauthorized
 *   6. exactly one of `jwk` / `kid`, as the endpoint needs; a `kid` names an existing,
 *      valid account of this mount                     -> malformed / accountDoesNotExist / unauthorized
 *   7. the signature verifies with that key           -> malformed (badPublicKey for an unusable key)
 *   8. the payload is empty (POST-as-GET) or a JSON object -> malformed
 * Nothing is written besides the nonce, so a request failing any check changes no state.
 */
export async function verifySignedRequest(
  input: SignedRequestInput,
  store: AcmeStore,
  urls: AcmeUrls,
  nonces: NonceStore,
  mode: KeyMode,
): Promise<SignedRequest> {
  const mediaType = (input.contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/jose+json')
    throw new AcmeProblem('malformed', 'content-type must be application/jose+json', 415);
  const { jws, header } = parseJws(input.body);
  checkAlgorithm(header.alg);
  if (header.nonce === undefined || !nonces.consume(header.nonce))
    throw new AcmeProblem('badNonce', 'jws nonce is missing, unknown or already used; retry with the nonce of this response');
  if (header.url !== input.url)
    throw new AcmeProblem('unauthorized', `jws url "${header.url}" does not match the request url "${input.url}"`, 401);
  if ((header.jwk === undefined) === (header.kid === undefined))
    throw new AcmeProblem('malformed', 'jws protected header must carry exactly one of "jwk" and "kid"');

  let key: PublicJwk;
  let account: AccountRecord | undefined;
  if (header.kid !== undefined) {
    if (mode === 'jwk') throw new AcmeProblem('malformed', 'this request must be signed with a "jwk", not a "kid"');
    const id = urls.accountIdOf(header.kid);
    account = id === undefined ? undefined : store.account(id);
    if (!account) throw new AcmeProblem('accountDoesNotExist', `"kid" ${header.kid} is not an account of this acme server`);
    if (account.status !== 'valid') throw new AcmeProblem('unauthorized', `account is ${account.status}`, 401);
    key = account.jwk;
  } else {
    if (mode === 'kid') throw new AcmeProblem('malformed', 'this request must be signed by an account ("kid"), not a "jwk"');
    key = publicJwk(header.jwk, header.alg);
  }
  if (account && algorithmOf(key) !== header.alg)
    throw new AcmeProblem('malformed', `jws algorithm ${header.alg} does not fit the account key`);
  const payload = parsePayload(await verifyJws(jws, header.alg, key));
  return { header, jws, payload, ...(account ? { account } : { jwk: key }) };
}
