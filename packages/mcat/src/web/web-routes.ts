import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { webErrorHandler } from './error-page.js';
import { homePage } from './home-page.js';
import { loginAction } from './login-action.js';
import { logoutAction } from './logout-action.js';
import type { WebContext } from './web-context.js';
import { webPaths } from './web-context.js';

/** formBodyLimit bounds a posted form: three short fields and a CSRF token fit many times over. */
export const formBodyLimit = 16 * 1024;

/**
 * registerWebRoutes adds MCAT's pages in one encapsulated scope. A request to them flows:
 *
 *   1. TLS 1.3, then the access table (createHttpServer's onRequest hook; all public here,
 *      since the pages decide for themselves what a session shows)
 *   2. the urlencoded body is parsed (at most formBodyLimit bytes)
 *   3. the CSRF check: every POST must carry the token of a page MCAT rendered (preHandler,
 *      after the body is parsed, before any handler; a failure is a 403 and nothing happens)
 *   4. the handler (one file per page or form)
 *   5. any error becomes an HTML error page (webErrorHandler)
 */
export async function registerWebRoutes(app: FastifyInstance, ctx: WebContext): Promise<void> {
  await app.register(async (web) => {
    await web.register(formbody, { bodyLimit: formBodyLimit });
    web.setErrorHandler(webErrorHandler(ctx));
    web.addHook('preHandler', ctx.csrf.csrfHook);
    web.get(webPaths.home, homePage(ctx));
    web.post(webPaths.login, loginAction(ctx));
    web.post(webPaths.logout, logoutAction(ctx));
  });
}
