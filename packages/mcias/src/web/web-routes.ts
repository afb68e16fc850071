import formbody from '@fastify/formbody';
import { requireSession, type Authenticate } from '@metacircular/mcdsl';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../core.js';
import {
  deleteAccountAction,
  grantRoleAction,
  removeTotpAction,
  resetPasswordAction,
  revokeRoleAction,
  setTagsAction,
  updateStatusAction,
} from './account-actions.js';
import { accountDetailPage } from './account-detail-page.js';
import { removeAccountPasskeyAction } from './account-passkeys.js';
import { accountsPage, createAccountAction } from './accounts-page.js';
import { auditPage } from './audit-page.js';
import { dashboardPage } from './dashboard-page.js';
import { webErrorHandler } from './error-page.js';
import type { InProcessServer } from './in-process-transport.js';
import { loginAction } from './login-action.js';
import { loginPage } from './login-page.js';
import { logoutAction } from './logout-action.js';
import { redirectTo } from './mcias-page.js';
import { passkeyJsonErrors } from './passkey-json.js';
import { passkeyLoginBegin, passkeyLoginFinish } from './passkey-login-action.js';
import { registerPasskeyBegin, registerPasskeyFinish, removeOwnPasskeyAction } from './passkeys-section.js';
import { PendingLogins } from './pending-logins.js';
import { createRuleAction, deleteRuleAction, policiesPage, setRuleEnabledAction } from './policies-page.js';
import { changePasswordAction, confirmTotpAction, enrollTotpAction, profilePage } from './profile-page.js';
import { issueTokenAction, revokeTokenAction, tokensPage } from './tokens-page.js';
import { totpLoginAction } from './totp-login-action.js';
import { unsealAction, unsealPage } from './unseal-page.js';
import { vaultCSRF } from './vault-csrf.js';
import type { WebContext } from './web-context.js';
import { csrfCookieName, sessionCookieName, webPaths as p } from './web-paths.js';
import { registerWebStatic } from './web-static.js';

/** formBodyLimit bounds a posted form: the largest (a policy rule) fits many times over. */
export const formBodyLimit = 64 * 1024;

/** WebOptions are what the composition root hands the web UI: the core and the API it serves. */
export interface WebOptions extends InProcessServer {
  readonly core: Core;
  readonly authenticate: Authenticate;
}

/**
 * registerWebRoutes adds the web UI to MCIAS's REST server (same port). A request to a page
 * flows through:
 *   1. TLS 1.3, then the access table (all web rows public: see web-access.ts)
 *   2. sealed -> every page but /unseal redirects there (onRequest, before the body is read)
 *   3. the urlencoded body (at most formBodyLimit)
 *   4. CSRF (mcdsl createCSRF keyed from the vault) on every POST/PUT/PATCH/DELETE except /unseal
 *   5. session pages: requireSession on the `mcias_session` cookie (no session -> /login,
 *      guest -> 403)
 *   6. the handler, which calls the API in process under the session's token (web-rpc.ts)
 *   7. errors -> an HTML page, or an htmx fragment into #flash (error-page.ts); the JSON
 *      routes the passkey script calls with fetch answer `{"error"}` instead (passkey-json.ts)
 */
export async function registerWebRoutes(app: FastifyInstance, opts: WebOptions): Promise<void> {
  const ctx: WebContext = {
    core: opts.core,
    server: { services: opts.services, access: opts.access, authenticate: opts.authenticate, isSealed: opts.isSealed },
    authenticate: opts.authenticate,
    csrf: vaultCSRF(opts.core.vault, csrfCookieName),
    pendingLogins: new PendingLogins(opts.core.now),
  };
  registerWebStatic(app);
  await app.register(async (web) => {
    await web.register(formbody, { bodyLimit: formBodyLimit });
    web.setErrorHandler(webErrorHandler(ctx));
    web.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply) =>
      Promise.resolve(
        ctx.core.vault.sealed && request.routeOptions.url !== p.unseal ? redirectTo(request, reply, p.unseal) : undefined,
      ),
    );

    // No session, no CSRF: the vault is sealed, so neither can exist.
    web.get(p.unseal, unsealPage(ctx));
    web.post(p.unseal, unsealAction(ctx));

    await web.register(async (forms) => {
      forms.addHook('preHandler', (request) => Promise.resolve(request).then((r) => ctx.csrf().verify(r)));
      forms.get(p.login, loginPage(ctx));
      forms.post(p.login, loginAction(ctx));
      forms.post(p.loginTotp, totpLoginAction(ctx));
      forms.post(p.logout, logoutAction(ctx));
      await forms.register((json, _opts, done) => {
        json.setErrorHandler(passkeyJsonErrors);
        json.post(p.loginPasskeyBegin, passkeyLoginBegin(ctx));
        json.post(p.loginPasskeyFinish, passkeyLoginFinish(ctx));
        done();
      });

      await forms.register((session, _opts, done) => {
        session.addHook('preHandler', requireSession(opts.authenticate, { cookieName: sessionCookieName, loginPath: p.login }));
        session.get(p.dashboard, dashboardPage(ctx));
        session.get(p.accounts, accountsPage(ctx));
        session.post(p.accounts, createAccountAction(ctx));
        session.get(p.account, accountDetailPage(ctx));
        session.patch(p.account, updateStatusAction(ctx));
        session.delete(p.account, deleteAccountAction(ctx));
        session.post(p.accountRoles, grantRoleAction(ctx));
        session.delete(p.accountRole, revokeRoleAction(ctx));
        session.put(p.accountTags, setTagsAction(ctx));
        session.delete(p.accountTotp, removeTotpAction(ctx));
        session.put(p.accountPassword, resetPasswordAction(ctx));
        session.get(p.tokens, tokensPage(ctx));
        session.post(p.tokensIssue, issueTokenAction(ctx));
        session.post(p.tokensRevoke, revokeTokenAction(ctx));
        session.get(p.policies, policiesPage(ctx));
        session.post(p.policies, createRuleAction(ctx));
        session.patch(p.policy, setRuleEnabledAction(ctx));
        session.delete(p.policy, deleteRuleAction(ctx));
        session.get(p.audit, auditPage(ctx));
        session.get(p.profile, profilePage(ctx));
        session.put(p.profilePassword, changePasswordAction(ctx));
        session.post(p.profileTotpEnroll, enrollTotpAction(ctx));
        session.post(p.profileTotpConfirm, confirmTotpAction(ctx));
        session.delete(p.profilePasskey, removeOwnPasskeyAction(ctx));
        session.delete(p.accountPasskey, removeAccountPasskeyAction(ctx));
        session.register((json, _o, jsonDone) => {
          json.setErrorHandler(passkeyJsonErrors);
          json.post(p.profilePasskeysBegin, registerPasskeyBegin(ctx));
          json.post(p.profilePasskeysFinish, registerPasskeyFinish(ctx));
          jsonDone();
        });
        done();
      });
    });
  });
}
