// web: the MCIAS web UI (htmx + mcdsl templates) on the REST server's port, one file per page
// or form. Pages call the API in process under the session's token, so they can do exactly
// what that token could do through the API.
export { registerWebRoutes, formBodyLimit } from './web-routes.js';
export type { WebOptions } from './web-routes.js';
export { webAccess } from './web-access.js';
export { webPaths, pathTo, sessionCookieName, csrfCookieName, webServiceName } from './web-paths.js';
export { webStaticPaths } from './web-static.js';
export { PendingLogins, pendingLoginTtlMs } from './pending-logins.js';
export type { PendingLogin } from './pending-logins.js';
