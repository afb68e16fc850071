export { html, raw, escapeHTML, SafeHTML } from './html.js';
export type { HTMLValue } from './html.js';
export { layout, sendHTML } from './layout.js';
export type { LayoutOptions } from './layout.js';
export { registerStatic, staticAccess, htmxPath } from './static-assets.js';
export { setSessionCookie, clearSessionCookie, getSessionToken, sessionCookieName } from './session-cookie.js';
export type { SessionCookieName } from './session-cookie.js';
export { requireSession } from './require-session.js';
export type { RequireSessionOptions } from './require-session.js';
