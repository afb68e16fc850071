import {
  getSessionToken,
  html,
  logoutForm,
  sendHTML,
  servicePage,
  type SafeHTML,
  type ServicePageOptions,
} from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../core.js';
import { Actions, type Action } from '../policy/index.js';
import { isMciasCaller, type MciasCaller } from '../tokens/index.js';
import { csrfFor, mayDo, type CsrfField, type WebContext } from './web-context.js';
import { sessionCookieName, webPaths } from './web-paths.js';
import { webStaticPaths } from './web-static.js';

// The page pieces every service UI shares live in mcdsl (web/page-shell.ts).
export { csrfInput, errorView, noticeView, redirectTo, sendFragment } from '@metacircular/mcdsl';

/** PageOptions are one full page's title and content. */
export interface PageOptions {
  readonly title: string;
  readonly body: SafeHTML;
  /** shown in the flash area at the top of the page */
  readonly notice?: SafeHTML;
  readonly status?: number;
}

interface NavEntry {
  readonly label: string;
  readonly href: string;
  /** shown only when the policy would allow this action (display only; every call is checked) */
  readonly action?: Action;
  readonly resource?: string;
}

// Spec 1.11's nav, in order. Links the caller's policy would refuse are left out.
const navEntries: readonly NavEntry[] = [
  { label: 'Dashboard', href: webPaths.dashboard },
  { label: 'Accounts', href: webPaths.accounts, action: Actions.AccountsList, resource: 'account' },
  { label: 'Policies', href: webPaths.policies, action: Actions.PolicyList, resource: 'policy' },
  { label: 'Audit', href: webPaths.audit, action: Actions.AuditRead, resource: 'audit' },
  { label: 'Profile', href: webPaths.profile },
];

/**
 * sendPage answers with a full page: mcdsl's layout (htmx from our origin, the CSRF token in
 * hx-headers and a meta tag, no inline script), the nav when a session is known, a flash area
 * (#flash) where notices and htmx error fragments land, and sendHTML's security headers (CSP,
 * no-store, nosniff, DENY framing).
 */
export function sendPage(ctx: WebContext, request: FastifyRequest, reply: FastifyReply, opts: PageOptions): FastifyReply {
  const csrf = csrfFor(ctx, reply);
  const caller = isMciasCaller(request.caller) ? request.caller : undefined;
  // A browser with a session cookie but no admitted caller (a guest, refused with 403) still
  // gets the logout button, so it can end that session.
  const nav = caller
    ? navView(ctx.core, caller, csrf)
    : getSessionToken(request, { name: sessionCookieName })
      ? html`<span>MCIAS</span>${logoutForm(webPaths.logout, csrf)}`
      : html`<span>MCIAS</span>`;
  const page = mciasPage({ title: opts.title, csrfToken: csrf.token, nav, body: opts.body, notice: opts.notice });
  return sendHTML(reply, page, opts.status);
}

/** mciasPage is the document around a page body (also used by the unseal and error pages). */
export function mciasPage(opts: Omit<ServicePageOptions, 'service' | 'assets'>): SafeHTML {
  return servicePage({ service: 'MCIAS', assets: webStaticPaths, ...opts });
}

function navView(core: Core, caller: MciasCaller, csrf: CsrfField): SafeHTML {
  const links = navEntries
    .filter((e) => !e.action || mayDo(core, caller, e.action, e.resource ?? ''))
    .map((e) => html`<a href="${e.href}">${e.label}</a>`);
  // prettier-ignore
  return html`${links}
<span class="who">signed in as <a id="nav-user" href="${webPaths.profile}">${caller.username}</a></span>
${logoutForm(webPaths.logout, csrf)}`;
}
