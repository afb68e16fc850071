import type { AccessTable } from '@metacircular/mcdsl';

/**
 * sshcaAccess has one row per SSHCAService RPC. Everything needs Metacrypt unsealed. Public: the
 * CA keys and the KRL (hosts fetch them without a token). Authenticated: signing (the engine then
 * asks policy for sign-user / sign-host) and reading profiles (configuration a signer needs, not
 * a secret). Admin: profile changes, revocation and the certificate list.
 */
export const sshcaAccess: AccessTable = {
  '/metacrypt.v1.SSHCAService/GetCAPublicKey': { level: 'public', unsealed: true },
  '/metacrypt.v1.SSHCAService/GetKRL': { level: 'public', unsealed: true },
  '/metacrypt.v1.SSHCAService/SignUserCert': { level: 'authenticated', unsealed: true },
  '/metacrypt.v1.SSHCAService/SignHostCert': { level: 'authenticated', unsealed: true },
  '/metacrypt.v1.SSHCAService/ListProfiles': { level: 'authenticated', unsealed: true },
  '/metacrypt.v1.SSHCAService/GetProfile': { level: 'authenticated', unsealed: true },
  '/metacrypt.v1.SSHCAService/CreateProfile': { level: 'admin', unsealed: true },
  '/metacrypt.v1.SSHCAService/UpdateProfile': { level: 'admin', unsealed: true },
  '/metacrypt.v1.SSHCAService/DeleteProfile': { level: 'admin', unsealed: true },
  '/metacrypt.v1.SSHCAService/RevokeCert': { level: 'admin', unsealed: true },
  '/metacrypt.v1.SSHCAService/ListCerts': { level: 'admin', unsealed: true },
};
