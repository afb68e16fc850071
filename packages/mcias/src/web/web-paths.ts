/**
 * webPaths are the web UI's routes, named once for the route registrations, the links in pages
 * and the access table. `:id`, `:role` and `:passkey` are fastify path parameters.
 */
export const webPaths = {
  login: '/login',
  loginTotp: '/login/totp',
  loginPasskeyBegin: '/login/passkey/begin',
  loginPasskeyFinish: '/login/passkey/finish',
  logout: '/logout',
  unseal: '/unseal',
  dashboard: '/',
  accounts: '/accounts',
  account: '/accounts/:id',
  accountRoles: '/accounts/:id/roles',
  accountRole: '/accounts/:id/roles/:role',
  accountTags: '/accounts/:id/tags',
  accountTotp: '/accounts/:id/totp',
  accountPassword: '/accounts/:id/password',
  accountPasskey: '/accounts/:id/passkeys/:passkey',
  tokens: '/tokens',
  tokensIssue: '/tokens/issue',
  tokensRevoke: '/tokens/revoke',
  policies: '/policies',
  policy: '/policies/:id',
  audit: '/audit',
  profile: '/profile',
  profilePassword: '/profile/password',
  profileTotpEnroll: '/profile/totp/enroll',
  profileTotpConfirm: '/profile/totp/confirm',
  profilePasskeysBegin: '/profile/passkeys/begin',
  profilePasskeysFinish: '/profile/passkeys/finish',
  profilePasskey: '/profile/passkeys/:passkey',
} as const;

/** pathTo fills a route's parameters, each URI-encoded: pathTo(webPaths.account, {id}) */
export function pathTo(route: string, params: Readonly<Record<string, string>>): string {
  return route.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

/**
 * sessionCookieName holds the session's MCIAS token (HttpOnly, Secure, SameSite=Strict).
 * Cookies are shared by every port of a host, so MCIAS names its own (spec 1.11).
 */
export const sessionCookieName = 'mcias_session';

/** csrfCookieName holds the CSRF nonce; `__Host-` makes it https-only and bound to this host. */
export const csrfCookieName = '__Host-mcias-csrf';

/**
 * webServiceName is the service context of logins made through the web UI: policy rules can
 * allow or deny the MCIAS web UI itself with `service_names: ["mcias"]`. It sends no tags.
 */
export const webServiceName = 'mcias';
