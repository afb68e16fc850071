import { html, layout } from '@metacircular/mcdsl';
import type { SafeHTML } from '@metacircular/mcdsl';
import type { ServiceContext } from './web-context.js';
import { webPaths } from './web-context.js';

/** McatPageOptions are one page's title, CSRF token and main content. */
export interface McatPageOptions {
  readonly title: string;
  /** from `csrf.issue(reply)`; every page gets one, since every page may hold a form */
  readonly csrfToken: string;
  readonly service: ServiceContext;
  readonly body: SafeHTML;
}

/**
 * mcatPage wraps a page's content in mcdsl's layout under a header that says what MCAT sends
 * to MCIAS, so whoever reads an outcome knows which service context it applies to.
 */
export function mcatPage(opts: McatPageOptions): SafeHTML {
  const { service } = opts;
  // prettier would reformat the markup inside html``; keep it as written.
  // prettier-ignore
  const body = html`<header>
<h1>MCAT</h1>
<p id="service-context">Logins are posted to MCIAS at <code>${service.mciasUrl}</code> as service
<code id="service-name">${service.serviceName}</code> with tags ${tagList(service.tags)}.</p>
</header>
${opts.body}`;
  return layout({
    title: `${opts.title} - MCAT`,
    csrfToken: opts.csrfToken,
    nav: html`<a href="${webPaths.home}">MCAT: MCIAS login-policy tester</a>`,
    // An empty icon, so browsers do not ask for /favicon.ico (a 404 in every page load's log).
    head: html`<link rel="icon" href="data:,">`,
    body,
  });
}

/** tagList renders tags as code spans, or says there are none. */
export function tagList(tags: readonly string[]): SafeHTML {
  if (tags.length === 0) return html`<em>(none)</em>`;
  return html`${tags.map((tag, i) => html`${i > 0 ? ', ' : ''}<code class="tag">${tag}</code>`)}`;
}
