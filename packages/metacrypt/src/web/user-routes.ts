import type { FastifyInstance } from 'fastify';
import { registerUserKeyAction, rotateUserKeyAction, userDecryptAction, userEncryptAction } from './user-actions.js';
import { userPage } from './user-page.js';
import type { WebContext } from './web-context.js';
import { webPaths as p } from './web-paths.js';

/** registerUserRoutes adds the user-to-user engine's pages (`/user/:mount/...`) to the session scope. */
export function registerUserRoutes(pages: FastifyInstance, ctx: WebContext): void {
  pages.get(p.user, userPage(ctx));
  pages.post(p.userRegister, registerUserKeyAction(ctx));
  pages.post(p.userRotate, rotateUserKeyAction(ctx));
  pages.post(p.userEncrypt, userEncryptAction(ctx));
  pages.post(p.userDecrypt, userDecryptAction(ctx));
}
