// engines/ca: the X.509 CA engine (spec §6): roots, issuers, leaves, CSRs, renewal, revocation,
// CRLs and the public PEM downloads. ACME (acme/) builds on the CaEngine surface.
import type { EngineModule } from '../../engine/index.js';
import { acmeAccess, acmeHttpAccess, acmeService, registerAcmeRoutes } from './acme/index.js';
import { caAccess, caHttpAccess } from './ca-access.js';
import { registerCaHttp } from './ca-http.js';
import { caProvider } from './ca-provider.js';
import { caService } from './ca-service.js';

/**
 * caModule is the CA engine as the server sees it: provider, CAService and AcmeService (EAB),
 * the PEM/CRL downloads and the ACME server's routes, and their access rows.
 */
export const caModule: EngineModule = {
  provider: caProvider,
  services: (host) => [caService(host), acmeService(host)],
  access: { ...caAccess, ...acmeAccess },
  registerHttp: async (app, host) => {
    registerCaHttp(app, host);
    await registerAcmeRoutes(app, host);
  },
  httpAccess: { ...caHttpAccess, ...acmeHttpAccess },
};

export type { CaEngine, IssuedCert, LeafKeyType, Profile, SignCsrRequest } from './ca-types.js';
export { CaMountEngine, type CertFilter } from './ca-engine.js';
export { caAccess, caHttpAccess } from './ca-access.js';
export { validateCaConfig, type CaSettings } from './ca-config.js';
export type { CertRecord, CrlRecord, IssuerRecord, RootRecord } from './ca-store.js';
export { parseReason } from './revocation-reason.js';
export { normalizeSerial } from './serial-number.js';
export { parseCsr, type ParsedCsr } from './csr.js';
