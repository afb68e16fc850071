/**
 * webPaths are the web UI's routes (spec §14), named once for the route registrations, the
 * links in pages and the access table. `:mount`, `:name`, `:id` and `:serial` are fastify path
 * parameters; pathTo fills them in.
 */
export const webPaths = {
  dashboard: '/',
  login: '/login',
  logout: '/logout',
  init: '/init',
  unseal: '/unseal',
  seal: '/seal',

  mounts: '/mounts',
  mount: '/mounts/:name',
  policy: '/policy',
  policyRule: '/policy/:id',
  audit: '/audit',

  pki: '/pki/:mount',
  pkiRootGenerate: '/pki/:mount/root/generate',
  pkiRootImport: '/pki/:mount/root/import',
  pkiRootPem: '/pki/:mount/ca.pem',
  pkiChainPem: '/pki/:mount/chain.pem',
  pkiIssuers: '/pki/:mount/issuers',
  pkiIssue: '/pki/:mount/issue',
  pkiCert: '/pki/:mount/certs/:serial',
  pkiCertPem: '/pki/:mount/certs/:serial/cert.pem',
  pkiRevoke: '/pki/:mount/certs/:serial/revoke',
  pkiEab: '/pki/:mount/eab',

  sshca: '/sshca/:mount',
  sshcaProfiles: '/sshca/:mount/profiles',
  sshcaProfile: '/sshca/:mount/profiles/:name',
  sshcaSign: '/sshca/:mount/sign',
  sshcaRevoke: '/sshca/:mount/revoke',
  sshcaKrl: '/sshca/:mount/krl',

  transit: '/transit/:mount',
  transitKeys: '/transit/:mount/keys',
  transitRotate: '/transit/:mount/keys/:name/rotate',
  transitEncrypt: '/transit/:mount/encrypt',
  transitDecrypt: '/transit/:mount/decrypt',

  user: '/user/:mount',
  userRegister: '/user/:mount/register',
  userRotate: '/user/:mount/rotate',
  userEncrypt: '/user/:mount/encrypt',
  userDecrypt: '/user/:mount/decrypt',
} as const;

/** WebPath is one of the route templates. */
export type WebPath = (typeof webPaths)[keyof typeof webPaths];

/** pathTo fills a route template's parameters, each URL-encoded, e.g. pathTo(webPaths.pki, {mount: 'pki'}). */
export function pathTo(template: WebPath, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/:([a-z]+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`pathTo: no value for :${name} in ${template}`);
    return encodeURIComponent(value);
  });
}

/**
 * sessionCookieName is the web UI's session cookie (it holds the MCIAS token). Browsers share
 * cookies across the ports of one host and `mc up` runs every service on 127.0.0.1, so each UI
 * names its own.
 */
export const sessionCookieName = 'metacrypt_session';

/** csrfCookieName is the CSRF nonce cookie; `__Host-` makes it https-only and host-bound. */
export const csrfCookieName = '__Host-metacrypt-csrf';
