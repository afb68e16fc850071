// client: the TypeScript client library of Metacrypt (`@metacircular/metacrypt/client`): a typed
// REST client of the main operations and an ACME helper (EAB + RFC 8555 order) that MCP uses.
export { MetacryptClient } from './metacrypt-client.js';
export type {
  EabCredentials,
  IssueRequest,
  IssuedCertificate,
  MetacryptClientOptions,
  MetacryptStatus,
  SignRequest,
} from './metacrypt-client.js';
export { errorFromResponse } from './metacrypt-errors.js';
export { obtainCertificate, splitPem } from './obtain-certificate.js';
export type { Dns01Solver, Http01Solver, ObtainCertificateOptions, ObtainedCertificate } from './obtain-certificate.js';
