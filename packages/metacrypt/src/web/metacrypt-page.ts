import { getSessionToken, html, layout, sendHTML, type Caller, type SafeHTML } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfFor, type CsrfField, type WebContext } from './web-context.js';
import { sessionCookieName, webPaths } from './web-paths.js';
import { webStaticPaths } from './web-static.js';

/** csrfInput is the hidden field of a plain form; htmx requests send the header instead. */
export function csrfInput(csrf: CsrfField): SafeHTML {
  return html`<input type="hidden" name="${csrf.fieldName}" value="${csrf.token}">`;
}

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

/**
 * sendFragment answers an htmx request with a piece of a page. It also empties #flash out of
 * band, so an error shown by an earlier action does not linger after a success.
 */
export function sendFragment(reply: FastifyReply, fragment: SafeHTML, status = 200): FastifyReply {
  return sendHTML(reply, html`${fragment}\n<div id="flash" role="status" hx-swap-oob="true"></div>`, status);
}

/** metacryptPage is the document around a page body (also used by the error page). */
export function metacryptPage(opts: {
  title: string;
  csrfToken?: string | undefined;
  nav: SafeHTML;
  body: SafeHTML;
  notice?: SafeHTML | undefined;
}): SafeHTML {
  // prettier-ignore
  return layout({
    title: `${opts.title} - Metacrypt`,
    ...(opts.csrfToken ? { csrfToken: opts.csrfToken } : {}),
    head: html`<link rel="icon" href="data:,">
<link rel="stylesheet" href="${webStaticPaths.css}">
<script src="${webStaticPaths.js}"></script>`,
    nav: opts.nav,
    body: html`<div id="flash" role="status">${opts.notice}</div>
${opts.body}`,
  });
}

/** noticeView is a success message for the flash area or the top of a section. */
export function noticeView(text: string): SafeHTML {
  return html`<p class="notice" role="status">${text}</p>`;
}

/** errorView is a refusal, with the message the API gave. */
export function errorView(text: string): SafeHTML {
  return html`<p class="error" role="alert">${text}</p>`;
}

/**
 * navView is the top bar. Admin links are shown to admins only; that is display, not
 * authorization: the API refuses their calls to anyone else.
 */
function navView(caller: Caller | undefined, hasSession: boolean, csrf: CsrfField): SafeHTML {
  if (!caller) {
    const end = hasSession ? logoutForm(csrf) : html`<a class="who" href="${webPaths.login}">Sign in</a>`;
    return html`<a href="${webPaths.dashboard}">Metacrypt</a>${end}`;
  }
  // prettier-ignore
  return html`<a href="${webPaths.dashboard}">Metacrypt</a>
<a href="${webPaths.mounts}">Mounts</a>
${caller.isAdmin && html`<a href="${webPaths.policy}">Policy</a>
<a href="${webPaths.audit}">Audit</a>`}
<span class="who">signed in as <span id="nav-user">${caller.username}</span></span>
${logoutForm(csrf)}`;
}

function logoutForm(csrf: CsrfField): SafeHTML {
  return html`<form method="post" action="${webPaths.logout}">${csrfInput(csrf)}<button type="submit" id="logout">Log out</button></form>`;
}

/**
 * redirectTo sends the browser elsewhere after a form or when a page is not for it now: a 303
 * for a normal request, an HX-Redirect for htmx (which would otherwise swap the next page into
 * a fragment's place).
 */
export function redirectTo(request: FastifyRequest, reply: FastifyReply, path: string): FastifyReply {
  if (request.headers['hx-request'] === 'true') return reply.code(200).header('hx-redirect', path).send();
  return reply.redirect(path, 303);
}

/** isHtmx says whether the request came from htmx (and so wants a fragment). */
export function isHtmx(request: FastifyRequest): boolean {
  return request.headers['hx-request'] === 'true';
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
