import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHTML } from './html.js';
import { layout, sendHTML } from './layout.js';

/** CsrfField is the CSRF token of one response and the form field that carries it. */
export interface CsrfField {
  readonly fieldName: string;
  readonly token: string;
}

/** ServicePageOptions are the parts of one service's full page. */
export interface ServicePageOptions {
  /** the service's display name, after the page title in `<title>` ("Accounts - MCIAS") */
  readonly service: string;
  /** the UI's own stylesheet and script (served with serveAsset), loaded after htmx */
  readonly assets: { readonly css: string; readonly js: string };
  readonly title: string;
  readonly csrfToken?: string | undefined;
  readonly nav: SafeHTML;
  readonly body: SafeHTML;
  /** shown in the flash area (#flash) at the top of the page */
  readonly notice?: SafeHTML | undefined;
}

/**
 * servicePage is a service UI's document around a page body: mcdsl's layout (htmx from our
 * origin, the CSRF token in hx-headers and a meta tag, no inline script), the service's
 * stylesheet and script, the nav, and a flash area (#flash) where notices and htmx error
 * fragments land.
 */
export function servicePage(opts: ServicePageOptions): SafeHTML {
  // prettier-ignore
  return layout({
    title: `${opts.title} - ${opts.service}`,
    ...(opts.csrfToken ? { csrfToken: opts.csrfToken } : {}),
    head: html`<link rel="icon" href="data:,">
<link rel="stylesheet" href="${opts.assets.css}">
<script src="${opts.assets.js}"></script>`,
    nav: opts.nav,
    body: html`<div id="flash" role="status">${opts.notice}</div>
${opts.body}`,
  });
}

/**
 * sendFragment answers an htmx request with a piece of a page. It also empties #flash out of
 * band, so an error shown by an earlier action does not linger after a success.
 */
export function sendFragment(reply: FastifyReply, fragment: SafeHTML, status = 200): FastifyReply {
  return sendHTML(reply, html`${fragment}\n<div id="flash" role="status" hx-swap-oob="true"></div>`, status);
}

/** noticeView is a success message for the flash area or the top of a section. */
export function noticeView(text: string): SafeHTML {
  return html`<p class="notice" role="status">${text}</p>`;
}

/** errorView is a refusal, with the message the API gave. */
export function errorView(text: string): SafeHTML {
  return html`<p class="error" role="alert">${text}</p>`;
}

/** csrfInput is the hidden field of a plain form; htmx requests send the header instead. */
export function csrfInput(csrf: CsrfField): SafeHTML {
  return html`<input type="hidden" name="${csrf.fieldName}" value="${csrf.token}">`;
}

/** logoutForm is the nav's log-out button: a plain form posting to `action` with the CSRF field. */
export function logoutForm(action: string, csrf: CsrfField): SafeHTML {
  return html`<form method="post" action="${action}">${csrfInput(csrf)}<button type="submit" id="logout">Log out</button></form>`;
}

/** isHtmx says whether the request came from htmx (and so wants a fragment). */
export function isHtmx(request: FastifyRequest): boolean {
  return request.headers['hx-request'] === 'true';
}

/**
 * redirectTo sends the browser elsewhere after a form or when a page is not for it now: a 303
 * for a normal request, an HX-Redirect for htmx (which would otherwise swap the next page into
 * a fragment's place).
 */
export function redirectTo(request: FastifyRequest, reply: FastifyReply, path: string): FastifyReply {
  if (isHtmx(request)) return reply.code(200).header('hx-redirect', path).send();
  return reply.redirect(path, 303);
}
