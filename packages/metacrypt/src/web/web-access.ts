import type { AccessTable } from '@metacircular/mcdsl';
import { webPaths as p } from './web-paths.js';
import { webStaticAccess } from './web-static.js';

/**
 * webAccess is the web listener's access table. Every row is 'public' because the table's own
 * check reads an Authorization header and a browser sends its session in a cookie; the guards
 * are in the web scope (web-routes.ts):
 *
 *   no session, no CSRF   the assets
 *   no session, CSRF      /login, /logout, /init (which wants a signed-in session before it
 *                         relays anything), /unseal (the password is the authority, and the
 *                         API throttles it)
 *   seal guard, session,  every other page; each then calls the API under the session's token,
 *   CSRF on mutations     so the RPC's own access row and the policy decide (admin for mounts,
 *                         policy and audit; the policy for the engines)
 */
export const webAccess: AccessTable = {
  ...webStaticAccess,
  ...rows('GET', [p.login, p.init, p.unseal]),
  ...rows('POST', [p.login, p.logout, p.init, p.unseal]),

  ...rows('GET', [p.dashboard, p.mounts, p.policy, p.policyRule, p.audit]),
  ...rows('POST', [p.seal, p.mounts, p.policy]),
  ...rows('PUT', [p.policyRule]),
  ...rows('DELETE', [p.mount, p.policyRule]),

  ...rows('GET', [p.transit]),
  ...rows('POST', [p.transitKeys, p.transitRotate, p.transitEncrypt, p.transitDecrypt]),

  ...rows('GET', [p.pki, p.pkiRootPem, p.pkiChainPem, p.pkiCert, p.pkiCertPem]),
  ...rows('POST', [p.pkiRootGenerate, p.pkiRootImport, p.pkiIssuers, p.pkiIssue, p.pkiRevoke, p.pkiEab]),

  ...rows('GET', [p.sshca, p.sshcaProfile, p.sshcaKrl]),
  ...rows('POST', [p.sshcaProfiles, p.sshcaSign, p.sshcaRevoke]),
  ...rows('PUT', [p.sshcaProfile]),
  ...rows('DELETE', [p.sshcaProfile]),

  ...rows('GET', [p.user]),
  ...rows('POST', [p.userRegister, p.userRotate, p.userEncrypt, p.userDecrypt]),
};

function rows(method: string, paths: readonly string[]): AccessTable {
  return Object.fromEntries(paths.map((path) => [`${method} ${path}`, { level: 'public' }]));
}
