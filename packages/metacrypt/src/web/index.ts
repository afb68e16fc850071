// web: Metacrypt's web UI (spec §14) on its own HTTPS listener. Server-rendered pages (mcdsl
// html`` templates) and htmx, one file per page or group of forms; every page is gRPC calls to
// the API under the signed-in user's MCIAS token, so the API's access table and policy decide.
export { startWebServer } from './start-web-server.js';
export type { RunningWebServer, WebServerOptions } from './start-web-server.js';
export { webAccess } from './web-access.js';
export { webPaths, pathTo, sessionCookieName, csrfCookieName } from './web-paths.js';
