import formbody from '@fastify/formbody';
import { requireSession } from '@metacircular/mcdsl';
import type { FastifyInstance } from 'fastify';
import { auditPage } from './audit-page.js';
import { dashboardPage, sealAction } from './dashboard-page.js';
import { webErrorHandler } from './error-page.js';
import { initAction, initPage } from './init-page.js';
import { loginAction, loginPage } from './login-page.js';
import { logoutAction } from './logout-action.js';
import { createMountAction, deleteMountAction, mountsPage } from './mounts-page.js';
import { registerPkiRoutes } from './pki-routes.js';
import { createRuleAction, deleteRuleAction, policyPage, rulePage, updateRuleAction } from './policy-page.js';
import { sealGuard } from './seal-guard.js';
import { registerSshcaRoutes } from './sshca-routes.js';
import { createTransitKeyAction, rotateTransitKeyAction, transitDecryptAction, transitEncryptAction } from './transit-actions.js';
import { transitPage } from './transit-page.js';
import { unsealAction, unsealPage } from './unseal-page.js';
import { registerUserRoutes } from './user-routes.js';
import type { WebContext } from './web-context.js';
import { sessionCookieName, webPaths as p } from './web-paths.js';

/** formBodyLimit bounds a posted form: a CSR, a PEM bundle or an envelope fits many times over. */
export const formBodyLimit = 256 * 1024;

/**
 * registerWebRoutes adds the pages in one encapsulated scope. A request flows through:
 *   1. TLS 1.3, then the access table (every web row is public: the browser's session is a
 *      cookie, checked in step 5; see web-access.ts)
 *   2. the urlencoded body (at most formBodyLimit)
 *   3. CSRF: every POST/PUT/PATCH/DELETE must carry the token of a page this server rendered
 *      (signed double-submit cookie); a failure is a 403 and nothing is called
 *   4. pages other than /login, /logout, /init, /unseal: the seal guard ("Metacrypt is sealed")
 *   5. then requireSession: the cookie's token must pass the API's TokenInfo (no session ->
 *      /login; a guest -> 403)
 *   6. the handler, which calls the API over gRPC under the session's token; the API decides
 *   7. errors -> an HTML page, or an htmx fragment into #flash (error-page.ts)
 */
export async function registerWebRoutes(app: FastifyInstance, ctx: WebContext): Promise<void> {
  await app.register(async (web) => {
    await web.register(formbody, { bodyLimit: formBodyLimit });
    web.setErrorHandler(webErrorHandler(ctx));
    web.addHook('preHandler', ctx.csrf.csrfHook);

    web.get(p.login, loginPage(ctx));
    web.post(p.login, loginAction(ctx));
    web.post(p.logout, logoutAction(ctx));
    web.get(p.init, initPage(ctx));
    web.post(p.init, initAction(ctx));
    web.get(p.unseal, unsealPage(ctx));
    web.post(p.unseal, unsealAction(ctx));

    await web.register((pages, _opts, done) => {
      pages.addHook('preHandler', sealGuard(ctx));
      pages.addHook('preHandler', requireSession(ctx.authenticate, { cookieName: sessionCookieName, loginPath: p.login }));
      pages.get(p.dashboard, dashboardPage(ctx));
      pages.post(p.seal, sealAction(ctx));
      pages.get(p.mounts, mountsPage(ctx));
      pages.post(p.mounts, createMountAction(ctx));
      pages.delete(p.mount, deleteMountAction(ctx));
      pages.get(p.policy, policyPage(ctx));
      pages.post(p.policy, createRuleAction(ctx));
      pages.get(p.policyRule, rulePage(ctx));
      pages.put(p.policyRule, updateRuleAction(ctx));
      pages.delete(p.policyRule, deleteRuleAction(ctx));
      pages.get(p.audit, auditPage(ctx));

      pages.get(p.transit, transitPage(ctx));
      pages.post(p.transitKeys, createTransitKeyAction(ctx));
      pages.post(p.transitRotate, rotateTransitKeyAction(ctx));
      pages.post(p.transitEncrypt, transitEncryptAction(ctx));
      pages.post(p.transitDecrypt, transitDecryptAction(ctx));

      registerPkiRoutes(pages, ctx);
      registerSshcaRoutes(pages, ctx);
      registerUserRoutes(pages, ctx);
      done();
    });
  });
}
