// acme: the RFC 8555 server of the CA engine (spec §6.2, §6.3): directory, nonces, accounts with
// External Account Binding, orders, HTTP-01 / DNS-01 challenges, finalize, download, revocation
// and key rollover under /acme/{mount}/, plus the CreateEAB RPC (POST /v1/acme/{mount}/eab).
export { registerAcmeRoutes, acmeBodyLimit } from './acme-routes.js';
export type { AcmeRouteOptions } from './acme-routes.js';
export { acmeHttpAccess, acmeAccess, acmePaths } from './acme-access.js';
export { acmeService, defaultEabIssuer } from './acme-service.js';
export { acmeConfig } from './acme-config.js';
export type { AcmeConfig, AcmeSettings } from './acme-config.js';
export { NonceStore } from './nonce-store.js';
export { AcmeProblem, acmeErrorPrefix } from './acme-problem.js';
export type { AcmeErrorType, ProblemDocument } from './acme-problem.js';
export { keyAuthorization, dns01Value } from './challenge-validation.js';
export { eabLifetimeMs } from './eab.js';
