import type { AccessTable } from '@metacircular/mcdsl';
import { webStaticAccess } from './web-static.js';
import { webPaths as p } from './web-paths.js';

/**
 * webAccess is the web UI's part of MCIAS's one access table. Every row is 'public' because the
 * table's own check reads an Authorization header, and a browser sends its session in a cookie;
 * the guards are in the web scope instead (web-routes.ts), as in MCAT:
 *
 *   no session, no CSRF        the assets, GET/POST /unseal (no session can exist while sealed;
 *                              rate-limited by the Unseal RPC)
 *   no session, CSRF           /login, /login/totp, /login/passkey/{begin,finish}, /logout
 *                              (logout revokes the cookie's own token)
 *   session (requireSession)   every other page; a guest is refused (403). Each page and action
 *                              then calls the API in process under the session's token, so the
 *                              RPC's own row and policy action decide (accounts:*, roles:write,
 *                              tags:write, tokens:*, policy:*, audit:read, and the admin-only
 *                              guards): admin pages need the admin role or the policy action,
 *                              exactly as the API does.
 *
 * None is marked `unsealed`: while sealed the web scope sends browsers to /unseal instead of
 * answering 503.
 */
export const webAccess: AccessTable = {
  ...webStaticAccess,
  [`GET ${p.unseal}`]: { level: 'public' },
  [`POST ${p.unseal}`]: { level: 'public' },

  [`GET ${p.login}`]: { level: 'public' },
  [`POST ${p.login}`]: { level: 'public' },
  [`POST ${p.loginTotp}`]: { level: 'public' },
  [`POST ${p.logout}`]: { level: 'public' },
  [`POST ${p.loginPasskeyBegin}`]: { level: 'public' }, // Passkeys.beginLogin (login rate limit)
  [`POST ${p.loginPasskeyFinish}`]: { level: 'public' }, // Passkeys.finishLogin (auth:login, service "mcias")

  // session (requireSession), then the named RPC's access row and policy
  [`GET ${p.dashboard}`]: { level: 'public' }, // ListAuditEvents (optional part)
  [`GET ${p.accounts}`]: { level: 'public' }, // ListAccounts
  [`POST ${p.accounts}`]: { level: 'public' }, // CreateAccount
  [`GET ${p.account}`]: { level: 'public' }, // GetAccount
  [`PATCH ${p.account}`]: { level: 'public' }, // UpdateAccount
  [`DELETE ${p.account}`]: { level: 'public' }, // DeleteAccount
  [`POST ${p.accountRoles}`]: { level: 'public' }, // GrantRole
  [`DELETE ${p.accountRole}`]: { level: 'public' }, // RevokeRole
  [`PUT ${p.accountTags}`]: { level: 'public' }, // SetTags
  [`DELETE ${p.accountTotp}`]: { level: 'public' }, // RemoveTOTP
  [`PUT ${p.accountPassword}`]: { level: 'public' }, // ResetPassword
  [`DELETE ${p.accountPasskey}`]: { level: 'public' }, // RemoveWebAuthnCredential (webauthn:remove)
  [`GET ${p.tokens}`]: { level: 'public' }, // ListAccounts
  [`POST ${p.tokensIssue}`]: { level: 'public' }, // IssueServiceToken
  [`POST ${p.tokensRevoke}`]: { level: 'public' }, // RevokeToken
  [`GET ${p.policies}`]: { level: 'public' }, // ListPolicyRules
  [`POST ${p.policies}`]: { level: 'public' }, // CreatePolicyRule
  [`PATCH ${p.policy}`]: { level: 'public' }, // GetPolicyRule + UpdatePolicyRule
  [`DELETE ${p.policy}`]: { level: 'public' }, // DeletePolicyRule
  [`GET ${p.audit}`]: { level: 'public' }, // ListAuditEvents
  [`GET ${p.profile}`]: { level: 'public' }, // session only
  [`PUT ${p.profilePassword}`]: { level: 'public' }, // ChangePassword
  [`POST ${p.profileTotpEnroll}`]: { level: 'public' }, // EnrollTOTP
  [`POST ${p.profileTotpConfirm}`]: { level: 'public' }, // ConfirmTOTP
  [`POST ${p.profilePasskeysBegin}`]: { level: 'public' }, // BeginWebAuthnRegistration (webauthn:enroll, password)
  [`POST ${p.profilePasskeysFinish}`]: { level: 'public' }, // FinishWebAuthnRegistration (webauthn:enroll)
  [`DELETE ${p.profilePasskey}`]: { level: 'public' }, // RemoveWebAuthnCredential (own: webauthn:enroll)
};
