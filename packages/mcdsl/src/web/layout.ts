import type { FastifyReply } from 'fastify';
import { html } from './html.js';
import type { SafeHTML } from './html.js';
import { htmxPath } from './static-assets.js';

/** LayoutOptions are the parts of one full page. */
export interface LayoutOptions {
  readonly title: string;
  readonly body: SafeHTML;
  /** rendered as `<meta name="csrf-token">` and sent by htmx on every request it makes */
  readonly csrfToken?: string;
  /** header htmx sends the token in, default `x-csrf-token` (csrf's default) */
  readonly csrfHeaderName?: string;
  readonly nav?: SafeHTML;
  /** extra markup for `<head>`, e.g. a stylesheet link */
  readonly head?: SafeHTML;
}

/**
 * layout wraps a page body in the platform's document: htmx from our own origin, the CSRF
 * token where htmx and forms can find it, and no inline script (the CSP forbids it).
 */
export function layout(opts: LayoutOptions): SafeHTML {
  const headers = opts.csrfToken ? JSON.stringify({ [opts.csrfHeaderName ?? 'x-csrf-token']: opts.csrfToken }) : undefined;
  // prettier would reformat the markup inside html`` and so change the page; keep it as written.
  // prettier-ignore
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${JSON.stringify({ includeIndicatorStyles: false, allowEval: false })}">
${opts.csrfToken && html`<meta name="csrf-token" content="${opts.csrfToken}">`}
<title>${opts.title}</title>
<script src="${htmxPath}"></script>
${opts.head}
</head>
<body${headers && html` hx-headers="${headers}"`}>
${opts.nav && html`<nav>${opts.nav}</nav>`}
<main>
${opts.body}
</main>
</body>
</html>
`;
}

// Pages carry per-user data and CSRF tokens: never cached, never framed, scripts only from
// our origin (htmx is served from /static), and no sniffing the content type.
const pageHeaders: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

/** sendHTML answers with a page or fragment and the security headers every page gets. */
export function sendHTML(reply: FastifyReply, page: SafeHTML, status = 200): FastifyReply {
  return reply.code(status).headers(pageHeaders).send(page.value);
}
