import { html } from '@metacircular/mcdsl';
import type { SafeHTML } from '@metacircular/mcdsl';
import type { LoginOutcome } from '../login-check/index.js';
import { tagList } from './mcat-page.js';
import { sessionView } from './session-view.js';
import type { ServiceContext } from './web-context.js';

/** OutcomeViewOptions are what an outcome's explanation refers to. */
export interface OutcomeViewOptions {
  readonly username: string;
  readonly service: ServiceContext;
  readonly csrfFieldName: string;
  readonly csrfToken: string;
}

/**
 * outcomeView explains MCIAS's verdict in words and carries it as `data-outcome` (accepted,
 * bad-credentials, denied-by-policy) for scripts. The page is 200 whatever the verdict: the
 * test ran, and its outcome is the page's content; MCAT's own failures (bad form, CSRF,
 * MCIAS unreachable) are the ones with error statuses.
 */
export function outcomeView(outcome: LoginOutcome, opts: OutcomeViewOptions): SafeHTML {
  const service = html`<code>${opts.service.serviceName}</code> with tags ${tagList(opts.service.tags)}`;
  switch (outcome.kind) {
    case 'accepted':
      // prettier-ignore
      return html`<section id="outcome" data-outcome="accepted" role="status">
<h2>Accepted</h2>
<p>MCIAS accepted the login for service ${service} and issued a token. This browser now holds it as its session.</p>
${sessionView({ caller: outcome.caller, expiresAt: outcome.expiresAt, csrfFieldName: opts.csrfFieldName, csrfToken: opts.csrfToken })}
</section>`;
    case 'bad-credentials':
      // prettier-ignore
      return html`<section id="outcome" data-outcome="bad-credentials" role="status">
<h2>Bad credentials</h2>
<p>MCIAS answered 401 for <strong>${opts.username}</strong>: the username, password or TOTP code is wrong, or the account
is locked, inactive or deleted. MCIAS does not say which, on purpose. Login policy was not the reason.</p>
</section>`;
    case 'denied-by-policy':
      // prettier-ignore
      return html`<section id="outcome" data-outcome="denied-by-policy" role="status">
<h2>Denied by policy</h2>
<p>MCIAS answered 403 for <strong>${opts.username}</strong>: the credentials were accepted, but MCIAS's login policy does not
let this account log in to service ${service}. A deny rule matched, or no allow rule did.</p>
</section>`;
  }
}
