import { html } from '@metacircular/mcdsl';
import type { Caller, SafeHTML } from '@metacircular/mcdsl';
import { webPaths } from './web-context.js';

/** SessionViewOptions are the validated session and the CSRF token of the logout form. */
export interface SessionViewOptions {
  /** who MCIAS says the token belongs to (`POST /v1/token/validate`) */
  readonly caller: Caller;
  /** when the token expires; undefined when it cannot be told */
  readonly expiresAt: Date | undefined;
  readonly csrfFieldName: string;
  readonly csrfToken: string;
}

/**
 * sessionView shows what MCIAS says about a token (username, roles, account type, expiry)
 * and the logout button, which revokes the token at MCIAS. The token itself is never shown:
 * it lives only in the HttpOnly session cookie.
 */
export function sessionView(opts: SessionViewOptions): SafeHTML {
  const { caller } = opts;
  const roles = caller.roles.length > 0 ? caller.roles.join(', ') : '(none)';
  // prettier-ignore
  return html`<dl id="session-details">
<dt>Username</dt><dd id="session-username">${caller.username}</dd>
<dt>Roles</dt><dd id="session-roles">${roles}</dd>
<dt>Account type</dt><dd id="session-account-type">${caller.accountType}</dd>
<dt>Token expires</dt><dd id="session-expires">${opts.expiresAt ? html`<time datetime="${opts.expiresAt.toISOString()}">${formatInstant(opts.expiresAt)}</time>` : 'unknown'}</dd>
</dl>
<form method="post" action="${webPaths.logout}">
<input type="hidden" name="${opts.csrfFieldName}" value="${opts.csrfToken}">
<p><button type="submit">Log out (revokes the token at MCIAS)</button></p>
</form>`;
}

/** formatInstant writes an instant as "2026-03-25 14:00:00 UTC". */
export function formatInstant(instant: Date): string {
  return instant
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}
