import type { AccessRule, AccessTable } from '@metacircular/mcdsl';

/**
 * The ACME server's routes as named constants, and their access rows. Every ACME route is
 * `public` for the platform's access check (ACME authenticates with JWS, not bearer tokens) and
 * `unsealed` (503 while Metacrypt is sealed, answered as an ACME problem).
 */
export const acmePaths = {
  directory: '/acme/:mount/directory',
  newNonce: '/acme/:mount/new-nonce',
  newAccount: '/acme/:mount/new-account',
  account: '/acme/:mount/account/:id',
  accountOrders: '/acme/:mount/account/:id/orders',
  newOrder: '/acme/:mount/new-order',
  order: '/acme/:mount/order/:id',
  finalize: '/acme/:mount/order/:id/finalize',
  authz: '/acme/:mount/authz/:id',
  challenge: '/acme/:mount/chall/:id',
  cert: '/acme/:mount/cert/:id',
  revokeCert: '/acme/:mount/revoke-cert',
  keyChange: '/acme/:mount/key-change',
} as const;

const acmeRule: AccessRule = { level: 'public', unsealed: true };

/** acmeHttpAccess lists every raw ACME route (the directory's HEAD comes with its GET). */
export const acmeHttpAccess: AccessTable = {
  [`GET ${acmePaths.directory}`]: acmeRule,
  [`GET ${acmePaths.newNonce}`]: acmeRule,
  [`HEAD ${acmePaths.newNonce}`]: acmeRule,
  ...Object.fromEntries(
    (
      [
        'newAccount',
        'account',
        'accountOrders',
        'newOrder',
        'order',
        'finalize',
        'authz',
        'challenge',
        'cert',
        'revokeCert',
        'keyChange',
      ] as const
    ).map((name) => [`POST ${acmePaths[name]}`, acmeRule]),
  ),
};

/** acmeAccess is the access row of the AcmeService RPC (the caller's policy is checked in the handler). */
export const acmeAccess: AccessTable = {
  '/metacrypt.v1.AcmeService/CreateEAB': { level: 'authenticated', unsealed: true },
};
