import type { Authenticator, CSRF } from '@metacircular/mcdsl';

/** webPaths are MCAT's page and form routes, named once for the routes and the access table. */
export const webPaths = {
  /** the login form, or the current session's status when logged in */
  home: '/',
  /** posts the form to MCIAS and shows the outcome */
  login: '/login',
  /** revokes the session's token at MCIAS and clears the cookie */
  logout: '/logout',
} as const;

/**
 * sessionCookieName is MCAT's session cookie. Browsers share cookies across the ports of one
 * host, and `mc up` runs every service on 127.0.0.1, so each web UI names its own.
 */
export const sessionCookieName = 'mcat_session';

/** csrfCookieName is MCAT's CSRF nonce cookie; `__Host-` makes it https-only and host-bound. */
export const csrfCookieName = '__Host-mcat-csrf';

/** ServiceContext is what MCAT sends with every login, shown on every page. */
export interface ServiceContext {
  readonly mciasUrl: string;
  readonly serviceName: string;
  readonly tags: readonly string[];
}

/** WebContext is everything the pages need, passed in by the composition root (main.ts). */
export interface WebContext {
  /** mcdsl's Authenticator, configured with MCAT's service_name and tags */
  readonly mcias: Pick<Authenticator, 'login' | 'validate' | 'logout'>;
  readonly csrf: CSRF;
  readonly service: ServiceContext;
}
