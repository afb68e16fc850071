import { healthAccess, staticAccess } from '@metacircular/mcdsl';
import type { AccessTable } from '@metacircular/mcdsl';
import { webPaths } from './web/index.js';

/**
 * accessTable lists every route MCAT serves (default deny: an unlisted route answers 403, and
 * test/access-table.test.ts fails). Every row is public, each for a reason:
 *
 *   GET  /v1/health          liveness for supervisors; says nothing about MCIAS
 *   GET  /static/htmx.min.js the page script, served from our origin (no CDN)
 *   GET  /                   the login form for anyone; the session view only with a session
 *                            cookie MCIAS validates (checked by the page, not the table, so a
 *                            stale cookie shows the form instead of a 401)
 *   POST /login              must work without a session: it is how one gets a session
 *   POST /logout             acts only on the caller's own session cookie
 *
 * Both POSTs are CSRF-protected by the web scope's hook (see web/web-routes.ts). MCAT has no
 * admin route: the only authority it exercises is the session's own token.
 */
export const accessTable: AccessTable = {
  ...healthAccess,
  ...staticAccess,
  [`GET ${webPaths.home}`]: { level: 'public' },
  [`POST ${webPaths.login}`]: { level: 'public' },
  [`POST ${webPaths.logout}`]: { level: 'public' },
};
