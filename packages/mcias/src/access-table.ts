import { grpcHealthAccess, withTranscodedAccess, type AccessTable, type ServiceRegistration } from '@metacircular/mcdsl';
import { webAccess } from './web/index.js';

/**
 * The one access table of MCIAS: every RPC of every service, with its level and whether it is
 * refused (503 / UNAVAILABLE) while the vault is sealed. REST rows are derived from the RPCs'
 * google.api.http annotations (mciasAccessTable), so each rule is written once.
 *
 * Levels: 'public' needs no token; 'authenticated' needs a valid token of a non-guest account and
 * the handler then asks the policy engine for the RPC's action (the spec's RequirePolicy: admins
 * pass through the built-in wildcard, operator rules may delegate); 'admin' needs the admin role.
 * Sealed: only Health, VaultStatus and Unseal (and the standard gRPC health check) work; every
 * other RPC needs the signing key or the secrets it protects.
 */
export const rpcAccess: AccessTable = {
  ...grpcHealthAccess,

  // AdminService
  '/mcias.v1.AdminService/Health': { level: 'public' },
  '/mcias.v1.AdminService/VaultStatus': { level: 'public' },
  '/mcias.v1.AdminService/Unseal': { level: 'public' },
  '/mcias.v1.AdminService/GetPublicKey': { level: 'public', unsealed: true },
  '/mcias.v1.AdminService/GetJWKS': { level: 'public', unsealed: true },
  '/mcias.v1.AdminService/Seal': { level: 'admin', unsealed: true },

  // AuthService
  '/mcias.v1.AuthService/Login': { level: 'public', unsealed: true },
  // public so any token holder, guests included, can revoke its own token; the handler verifies it
  '/mcias.v1.AuthService/Logout': { level: 'public', unsealed: true },
  '/mcias.v1.AuthService/RenewToken': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AuthService/ChangePassword': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AuthService/EnrollTOTP': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AuthService/ConfirmTOTP': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AuthService/RemoveTOTP': { level: 'authenticated', unsealed: true },

  // TokenService
  '/mcias.v1.TokenService/ValidateToken': { level: 'public', unsealed: true },
  '/mcias.v1.TokenService/IssueServiceToken': { level: 'authenticated', unsealed: true },
  '/mcias.v1.TokenService/RevokeToken': { level: 'authenticated', unsealed: true },

  // AccountService
  '/mcias.v1.AccountService/ListAccounts': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AccountService/CreateAccount': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AccountService/GetAccount': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AccountService/UpdateAccount': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AccountService/DeleteAccount': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AccountService/GetRoles': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AccountService/SetRoles': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AccountService/GrantRole': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AccountService/RevokeRole': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AccountService/ResetPassword': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AccountService/GetTags': { level: 'authenticated', unsealed: true },
  '/mcias.v1.AccountService/SetTags': { level: 'authenticated', unsealed: true },

  // PolicyService
  '/mcias.v1.PolicyService/ListPolicyRules': { level: 'authenticated', unsealed: true },
  '/mcias.v1.PolicyService/CreatePolicyRule': { level: 'authenticated', unsealed: true },
  '/mcias.v1.PolicyService/GetPolicyRule': { level: 'authenticated', unsealed: true },
  '/mcias.v1.PolicyService/UpdatePolicyRule': { level: 'authenticated', unsealed: true },
  '/mcias.v1.PolicyService/DeletePolicyRule': { level: 'authenticated', unsealed: true },

  // AuditService
  '/mcias.v1.AuditService/ListAuditEvents': { level: 'authenticated', unsealed: true },

  // WebAuthnService (registration is self-service; login is public and rate-limited)
  '/mcias.v1.WebAuthnService/BeginWebAuthnRegistration': { level: 'authenticated', unsealed: true },
  '/mcias.v1.WebAuthnService/FinishWebAuthnRegistration': { level: 'authenticated', unsealed: true },
  '/mcias.v1.WebAuthnService/BeginWebAuthnLogin': { level: 'public', unsealed: true },
  '/mcias.v1.WebAuthnService/FinishWebAuthnLogin': { level: 'public', unsealed: true },
  '/mcias.v1.WebAuthnService/ListWebAuthnCredentials': { level: 'authenticated', unsealed: true },
  '/mcias.v1.WebAuthnService/RemoveWebAuthnCredential': { level: 'authenticated', unsealed: true },
};

/**
 * mciasAccessTable is the RPC table plus one REST row per transcoded route, plus the web UI's
 * routes (all public rows, guarded by the web scope: see web/web-access.ts).
 */
export function mciasAccessTable(services: readonly ServiceRegistration[]): AccessTable {
  return { ...withTranscodedAccess(rpcAccess, services), ...webAccess };
}
