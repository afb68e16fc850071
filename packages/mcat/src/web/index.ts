// web: MCAT's pages, one file per page or form, registered in one scope by registerWebRoutes.
export { registerWebRoutes, formBodyLimit } from './web-routes.js';
export { webPaths, sessionCookieName, csrfCookieName } from './web-context.js';
export type { WebContext, ServiceContext } from './web-context.js';
