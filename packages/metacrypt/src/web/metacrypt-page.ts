import {
  getSessionToken,
  html,
  isHtmx,
  logoutForm,
  sendFragment,
  sendHTML,
  servicePage,
  type Caller,
  type SafeHTML,
  type ServicePageOptions,
} from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfFor, type CsrfField, type WebContext } from './web-context.js';

import { sessionCookieName, webPaths } from './web-paths.js';
import { webStaticPaths } from './web-static.js';

// The page pieces every service UI shares live in mcdsl (web/page-shell.ts).
export { csrfInput, errorView, isHtmx, noticeView, redirectTo, sendFragment } from '@metacircular/mcdsl';

/** PageOptions are one full page's title and content. */
export interface PageOptions {
  readonly title: string;
  readonly body: SafeHTML;
  /** shown in the flash area at the top of the page */
  readonly notice?: SafeHTML;
  readonly status?: number;
}

/**
 * sendPage answers with a full page: mcdsl's layout (htmx from our origin, the CSRF token in
 * hx-headers and a meta tag, no inline script), the nav, a flash area (#flash) where notices
 * and htmx error fragments land, and sendHTML's security headers (CSP, no-store, nosniff, DENY
 * framing).
 */
export function sendPage(ctx: WebContext, request: FastifyRequest, reply: FastifyReply, opts: PageOptions): FastifyReply {
  const csrf = csrfFor(ctx, reply);
  const hasSession = getSessionToken(request, { name: sessionCookieName }) !== undefined;
  const page = metacryptPage({
    title: opts.title,
    csrfToken: csrf.token,
    nav: navView(request.caller, hasSession, csrf),
    body: opts.body,
    notice: opts.notice,
  });
  return sendHTML(reply, page, opts.status);
}

/** metacryptPage is the document around a page body (also used by the error page). */
export function metacryptPage(opts: Omit<ServicePageOptions, 'service' | 'assets'>): SafeHTML {
  return servicePage({ service: 'Metacrypt', assets: webStaticPaths, ...opts });
}

/**
 * navView is the top bar. Admin links are shown to admins only; that is display, not
 * authorization: the API refuses their calls to anyone else.
 */
function navView(caller: Caller | undefined, hasSession: boolean, csrf: CsrfField): SafeHTML {
  if (!caller) {
    const end = hasSession ? logoutForm(webPaths.logout, csrf) : html`<a class="who" href="${webPaths.login}">Sign in</a>`;
    return html`<a href="${webPaths.dashboard}">Metacrypt</a>${end}`;
  }
  // prettier-ignore
  return html`<a href="${webPaths.dashboard}">Metacrypt</a>
<a href="${webPaths.mounts}">Mounts</a>
${caller.isAdmin && html`<a href="${webPaths.policy}">Policy</a>
<a href="${webPaths.audit}">Audit</a>`}
<span class="who">signed in as <span id="nav-user">${caller.username}</span></span>
${logoutForm(webPaths.logout, csrf)}`;
}

/**
 * sendSection answers a form that redraws one section: the section alone for htmx (it swaps it
 * in place), or a whole page holding just that section for a browser without script.
 */
export function sendSection(
  ctx: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  title: string,
  section: SafeHTML,
): FastifyReply {
  return isHtmx(request) ? sendFragment(reply, section) : sendPage(ctx, request, reply, { title, body: section });
}
