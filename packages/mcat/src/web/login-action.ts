import { getSessionToken, html, sendHTML, setSessionCookie } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkLogin } from '../login-check/index.js';
import { parseLoginForm } from './login-form-input.js';
import { loginFormView } from './login-form-view.js';
import { mcatPage } from './mcat-page.js';
import { outcomeView } from './outcome-view.js';
import type { WebContext } from './web-context.js';
import { sessionCookieName } from './web-context.js';

/**
 * loginAction is `POST /login` (CSRF already verified by the scope's hook). It posts the form
 * to MCIAS with MCAT's service_name and tags and shows the outcome:
 *
 *   1. a malformed form            -> 400, the form again with the problem and the username
 *   2. bad credentials (MCIAS 401) -> the outcome and the form again (username kept)
 *   3. denied by policy (MCIAS 403) -> likewise
 *   4. accepted                    -> the session cookie is set (the previous session's token,
 *                                     if any, is revoked), and the token's details are shown
 *   5. MCIAS unreachable           -> UnavailableError, rendered as a 503 page
 *
 * The password is never written into a page or a log line; re-rendered forms have an empty
 * password field.
 */
export function loginAction(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const csrfToken = ctx.csrf.issue(reply);
    const csrf = { csrfFieldName: ctx.csrf.fieldName, csrfToken };
    const input = parseLoginForm(request.body);
    if (!input.ok) {
      const form = loginFormView({ ...csrf, problem: input.problem, username: input.username });
      return sendHTML(reply, mcatPage({ title: 'Test a login', csrfToken, service: ctx.service, body: form }), 400);
    }

    const { attempt } = input;
    const outcome = await checkLogin(ctx.mcias, attempt);
    request.log.info({ username: attempt.username, outcome: outcome.kind }, 'login tested');

    if (outcome.kind === 'accepted') {
      await revokePrevious(request, ctx, outcome.token);
      const maxAgeSeconds = Math.max(0, Math.floor((outcome.expiresAt.getTime() - Date.now()) / 1000));
      setSessionCookie(reply, outcome.token, { name: sessionCookieName, maxAgeSeconds });
    }
    const result = outcomeView(outcome, { username: attempt.username, service: ctx.service, ...csrf });
    const body =
      outcome.kind === 'accepted' ? result : html`${result}\n${loginFormView({ ...csrf, username: attempt.username })}`;
    return sendHTML(reply, mcatPage({ title: outcomeTitles[outcome.kind], csrfToken, service: ctx.service, body }));
  };
}

const outcomeTitles = {
  accepted: 'Accepted',
  'bad-credentials': 'Bad credentials',
  'denied-by-policy': 'Denied by policy',
} as const;

// A browser holds one MCAT session: the token it replaces is revoked rather than left valid
// until it expires. Best effort: the new login has succeeded whatever happens here.
async function revokePrevious(request: FastifyRequest, ctx: WebContext, newToken: string): Promise<void> {
  const previous = getSessionToken(request, { name: sessionCookieName });
  if (!previous || previous === newToken) return;
  try {
    await ctx.mcias.logout(previous);
  } catch (err) {
    request.log.info({ err: err instanceof Error ? err.message : String(err) }, 'previous session token not revoked');
  }
}
