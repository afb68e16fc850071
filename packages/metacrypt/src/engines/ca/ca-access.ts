import type { AccessTable } from '@metacircular/mcdsl';

/**
 * Who may call what on a CA mount. Every row is `unsealed: true`: while Metacrypt is sealed the
 * CA has no keys and answers 503 / UNAVAILABLE before any token is looked at.
 *   public         trust distribution: the root, issuers, chains and CRLs
 *   token          the issuer list (guests included)
 *   authenticated  issuing, signing, renewing, revoking and reading certificates; the engine
 *                  then asks policy (ca/{mount}/issuer/{issuer} or ca/{mount}/certs)
 *   admin          creating the root and the issuers
 */
export const caAccess: AccessTable = {
  '/metacrypt.v1.CAService/GenerateRoot': { level: 'admin', unsealed: true },
  '/metacrypt.v1.CAService/ImportRoot': { level: 'admin', unsealed: true },
  '/metacrypt.v1.CAService/CreateIssuer': { level: 'admin', unsealed: true },
  '/metacrypt.v1.CAService/GetRoot': { level: 'public', unsealed: true },
  '/metacrypt.v1.CAService/GetChain': { level: 'public', unsealed: true },
  '/metacrypt.v1.CAService/GetIssuer': { level: 'public', unsealed: true },
  '/metacrypt.v1.CAService/GetCRL': { level: 'public', unsealed: true },
  '/metacrypt.v1.CAService/ListIssuers': { level: 'token', unsealed: true },
  '/metacrypt.v1.CAService/IssueCert': { level: 'authenticated', unsealed: true },
  '/metacrypt.v1.CAService/SignCSR': { level: 'authenticated', unsealed: true },
  '/metacrypt.v1.CAService/RenewCert': { level: 'authenticated', unsealed: true },
  '/metacrypt.v1.CAService/RevokeCert': { level: 'authenticated', unsealed: true },
  '/metacrypt.v1.CAService/ListCerts': { level: 'authenticated', unsealed: true },
  '/metacrypt.v1.CAService/GetCert': { level: 'authenticated', unsealed: true },
};

/** caHttpAccess covers the raw PEM/DER downloads (ca-http.ts): public, but not while sealed. */
export const caHttpAccess: AccessTable = {
  'GET /v1/pki/:mount/ca': { level: 'public', unsealed: true },
  'GET /v1/pki/:mount/ca/chain': { level: 'public', unsealed: true },
  'GET /v1/pki/:mount/issuer/:name': { level: 'public', unsealed: true },
  'GET /v1/pki/:mount/crl': { level: 'public', unsealed: true },
  'GET /v1/pki/:mount/issuer/:name/crl': { level: 'public', unsealed: true },
};
