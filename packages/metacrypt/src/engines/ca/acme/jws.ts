import { calculateJwkThumbprint, errors as joseErrors, flattenedVerify, importJWK, type JWK } from 'jose';
import { AcmeProblem } from './acme-problem.js';

/**
 * The JWS layer of RFC 8555 §6.2: every ACME POST body is a flattened JWS, signed by an account
 * key (named by `kid`) or by a key carried in the header (`jwk`, for new-account, revoke-cert by
 * certificate key and the inner JWS of key-change). Keys are verified with `jose`.
 */

/** accountKeyAlgorithms are the signature algorithms accepted for account keys (no MACs, no "none"). */
export const accountKeyAlgorithms: readonly string[] = ['ES256', 'ES384', 'EdDSA', 'RS256'];

/** FlattenedJws is the JSON body of an ACME POST. */
export interface FlattenedJws {
  readonly protected: string;
  readonly payload: string;
  readonly signature: string;
}

/** ProtectedHeader is the part of a JWS protected header ACME looks at. */
export interface ProtectedHeader {
  readonly alg: string;
  readonly url: string;
  readonly nonce?: string;
  readonly kid?: string;
  readonly jwk?: unknown;
}

/** PublicJwk is an account (or certificate) public key with its private members dropped. */
export type PublicJwk =
  | { readonly kty: 'EC'; readonly crv: 'P-256' | 'P-384'; readonly x: string; readonly y: string }
  | { readonly kty: 'OKP'; readonly crv: 'Ed25519'; readonly x: string }
  | { readonly kty: 'RSA'; readonly n: string; readonly e: string };

const b64url = /^[A-Za-z0-9_-]*$/;

/**
 * parseJws checks the shape of a flattened JWS (RFC 8555 §6.2: one signature, no unprotected
 * header, no detached payload) and decodes its protected header. Every failure is `malformed`.
 */
export function parseJws(body: unknown): { jws: FlattenedJws; header: ProtectedHeader } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AcmeProblem('malformed', 'request body must be a flattened jws json object');
  const obj = body as Record<string, unknown>;
  if ('signatures' in obj) throw new AcmeProblem('malformed', 'jws must use the flattened serialization with one signature');
  if ('header' in obj) throw new AcmeProblem('malformed', 'jws must not have an unprotected header');
  for (const field of ['protected', 'payload', 'signature'] as const) {
    const value = obj[field];
    if (typeof value !== 'string' || !b64url.test(value))
      throw new AcmeProblem('malformed', `jws field "${field}" must be a base64url string`);
  }
  const jws = { protected: obj.protected as string, payload: obj.payload as string, signature: obj.signature as string };
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8'));
  } catch {
    throw new AcmeProblem('malformed', 'jws protected header is not base64url json');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new AcmeProblem('malformed', 'jws protected header must be a json object');
  const h = header as Record<string, unknown>;
  if (typeof h.alg !== 'string') throw new AcmeProblem('malformed', 'jws protected header needs "alg"');
  if (typeof h.url !== 'string') throw new AcmeProblem('malformed', 'jws protected header needs "url"');
  if (h.nonce !== undefined && typeof h.nonce !== 'string') throw new AcmeProblem('malformed', 'jws "nonce" must be a string');
  if (h.kid !== undefined && typeof h.kid !== 'string') throw new AcmeProblem('malformed', 'jws "kid" must be a string');
  return {
    jws,
    header: {
      alg: h.alg,
      url: h.url,
      ...(typeof h.nonce === 'string' ? { nonce: h.nonce } : {}),
      ...(typeof h.kid === 'string' ? { kid: h.kid } : {}),
      ...(h.jwk !== undefined ? { jwk: h.jwk } : {}),
    },
  };
}

/**
 * publicJwk checks that a JWK is a public key of a type ACME accounts may use and that it fits
 * `alg`, and returns only its public members. Failures are `badPublicKey`.
 */
export function publicJwk(value: unknown, alg: string): PublicJwk {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AcmeProblem('badPublicKey', 'jwk must be a json object');
  const jwk = value as Record<string, unknown>;
  if ('d' in jwk) throw new AcmeProblem('badPublicKey', 'jwk must be a public key; it carries private key material');
  const str = (name: string): string => {
    const v = jwk[name];
    if (typeof v !== 'string' || v === '' || !b64url.test(v))
      throw new AcmeProblem('badPublicKey', `jwk member "${name}" must be a base64url string`);
    return v;
  };
  if (jwk.kty === 'EC' && ((alg === 'ES256' && jwk.crv === 'P-256') || (alg === 'ES384' && jwk.crv === 'P-384')))
    return { kty: 'EC', crv: jwk.crv, x: str('x'), y: str('y') };
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && alg === 'EdDSA') return { kty: 'OKP', crv: 'Ed25519', x: str('x') };
  if (jwk.kty === 'RSA' && alg === 'RS256') {
    const n = str('n');
    if (Buffer.from(n, 'base64url').length < 256)
      throw new AcmeProblem('badPublicKey', 'rsa account keys must be at least 2048 bits');
    return { kty: 'RSA', n, e: str('e') };
  }
  throw new AcmeProblem(
    'badPublicKey',
    `jwk (kty ${JSON.stringify(jwk.kty)}, crv ${JSON.stringify(jwk.crv ?? '-')}) does not fit alg ${alg}; use ES256 with P-256, ES384 with P-384, EdDSA with Ed25519 or RS256 with RSA`,
  );
}

/** checkAlgorithm refuses algorithms outside accountKeyAlgorithms with `badSignatureAlgorithm`. */
export function checkAlgorithm(alg: string): void {
  if (!accountKeyAlgorithms.includes(alg))
    throw new AcmeProblem('badSignatureAlgorithm', `jws algorithm "${alg}" is not accepted`, 400, {
      algorithms: accountKeyAlgorithms,
    });
}

/**
 * verifyJws checks the signature of `jws` with `key` and returns the decoded payload bytes
 * (empty for POST-as-GET). A signature that does not verify is `malformed` (RFC 8555 has no
 * dedicated type for it; Let's Encrypt answers the same).
 */
export async function verifyJws(jws: FlattenedJws, alg: string, key: PublicJwk | Uint8Array): Promise<Uint8Array> {
  let verifyKey: Awaited<ReturnType<typeof importJWK>> | Uint8Array;
  try {
    verifyKey = key instanceof Uint8Array ? key : await importJWK(key as JWK, alg);
  } catch {
    throw new AcmeProblem('badPublicKey', 'jwk cannot be imported as a public key');
  }
  try {
    const { payload } = await flattenedVerify(jws, verifyKey, { algorithms: [alg] });
    return payload;
  } catch (err) {
    if (err instanceof joseErrors.JWSSignatureVerificationFailed)
      throw new AcmeProblem('malformed', 'jws signature does not verify with the key it names');
    throw new AcmeProblem('malformed', `jws is invalid: ${err instanceof Error ? err.message : 'verification failed'}`);
  }
}

/** algorithmOf is the JWS algorithm that goes with a key. */
export function algorithmOf(key: PublicJwk): string {
  if (key.kty === 'RSA') return 'RS256';
  if (key.kty === 'OKP') return 'EdDSA';
  return key.crv === 'P-384' ? 'ES384' : 'ES256';
}

/** thumbprint is the RFC 7638 SHA-256 thumbprint of a key, base64url: key authorizations and the account-key index use it. */
export function thumbprint(jwk: PublicJwk): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

/**
 * parsePayload decodes a verified payload: empty means POST-as-GET (undefined), anything else
 * must be a JSON object.
 */
export function parsePayload(payload: Uint8Array): Record<string, unknown> | undefined {
  if (payload.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    throw new AcmeProblem('malformed', 'jws payload is not json');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AcmeProblem('malformed', 'jws payload must be a json object');
  return value as Record<string, unknown>;
}
