// tokens: Ed25519 JWT issuance and validation (alg pinned to EdDSA before verification,
// revocation checked after the signature), lifetimes, and the servers' Authenticate.
export { TokenAuthority } from './token-authority.js';
export type { IssuedToken, VerifiedToken } from './token-authority.js';
export { assertEdDSAHeader, invalidToken } from './jwt-header.js';
export { lifetimeFor } from './token-lifetime.js';
export type { TokenLifetimes } from './token-lifetime.js';
export { VerifiedClaimsCache } from './verified-claims-cache.js';
export type { VerifiedClaims } from './verified-claims-cache.js';
export { createAuthenticate, isMciasCaller } from './authenticate.js';
export type { MciasCaller } from './authenticate.js';
