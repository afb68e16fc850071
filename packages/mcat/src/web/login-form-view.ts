import { html } from '@metacircular/mcdsl';
import type { SafeHTML } from '@metacircular/mcdsl';
import { webPaths } from './web-context.js';

/** LoginFormViewOptions fill the form; there is deliberately no way to pass a password. */
export interface LoginFormViewOptions {
  readonly csrfFieldName: string;
  readonly csrfToken: string;
  /** the username to keep after a failed attempt (escaped like all text) */
  readonly username?: string;
  /** a problem with the last submission, shown above the form */
  readonly problem?: string;
}

/**
 * loginFormView is the login form: username, password and an optional TOTP code, posted with
 * the CSRF token in a hidden field. The password field never has a value: after a failure the
 * form comes back with the username only, so a password is never echoed into a page.
 */
export function loginFormView(opts: LoginFormViewOptions): SafeHTML {
  // prettier-ignore
  return html`<section aria-labelledby="login-heading">
<h2 id="login-heading">Test a login</h2>
${opts.problem && html`<p id="form-problem" role="alert">${opts.problem}</p>`}
<form method="post" action="${webPaths.login}">
<input type="hidden" name="${opts.csrfFieldName}" value="${opts.csrfToken}">
<p><label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required maxlength="256" value="${opts.username ?? ''}"></p>
<p><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"></p>
<p><label for="totp_code">TOTP code (only if the account has TOTP)</label>
<input id="totp_code" name="totp_code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6,8}" maxlength="8"></p>
<p><button type="submit">Log in</button></p>
</form>
</section>`;
}
