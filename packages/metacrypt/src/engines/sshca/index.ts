// engines/sshca: the SSH CA engine (spec §7.2): OpenSSH user and host certificates signed under
// profiles, revocation through an OpenSSH KRL. Decisions are written down in README.md.
import type { EngineModule } from '../../engine/index.js';
import { sshcaAccess } from './sshca-access.js';
import { registerSSHCAHttp, sshcaHttpAccess } from './sshca-http.js';
import { sshcaProvider } from './sshca-provider.js';
import { sshcaService } from './sshca-service.js';

/** sshcaModule is the sshca engine as the server mounts it. */
export const sshcaModule: EngineModule = {
  provider: sshcaProvider,
  services: (host) => [sshcaService(host)],
  access: sshcaAccess,
  registerHttp: registerSSHCAHttp,
  httpAccess: sshcaHttpAccess,
};

export { SSHCAEngine } from './sshca-engine.js';
export type { CAPublicKeys, KRLSnapshot } from './sshca-engine.js';
export type { SignCertRequest, SignedCert } from './sign-cert.js';
export type { SSHProfile, SSHProfileInput } from './ssh-profile.js';
export type { SSHCertRecord } from './sshca-storage.js';
export type { SSHCAConfig } from './sshca-config.js';
export type { SSHKeyType } from './ssh-public-key.js';
export type { CAKeyType } from './ssh-ca-key.js';
export type { SSHCertType } from './ssh-certificate.js';
