export { createTestPKI } from './test-pki.js';
export type { TestPKI, TestLeaf } from './test-pki.js';
export { httpsRequest } from './https-request.js';
export type { TestResponse, TestRequestOptions } from './https-request.js';
export { findTool, interopTool } from './interop-tool.js';
export { chromiumLaunchOptions, chromiumTestArgs, spkiHash } from './chromium.js';
export { WebSession, parseSetCookies, textOf } from './web-session.js';
export type { SetCookie, WebSendOptions, WebFields } from './web-session.js';
