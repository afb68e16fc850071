// pki: the seed root CA and the per-service leaf certificates `mc up` writes before any
// service starts. Metacrypt takes over issuing later; this is only the bootstrap.
export { ensureRootCA, rootCALifetimeDays } from './root-ca.js';
export type { RootCA } from './root-ca.js';
export {
  ensureServiceCert,
  parseSubjectAltName,
  renewBeforeDays,
  serviceCertLifetimeDays,
  serviceSubjectAltNames,
} from './service-cert.js';
export type { ServiceCertRequest } from './service-cert.js';
