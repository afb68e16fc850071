// @metacircular/mcat: the MCIAS login-policy tester. The front door: start MCAT from a config
// (what `mcat server` does, and what tests and `mc up` fixtures use), and the pieces a reader of
// the platform's web UI pattern looks for.
export { startMcat, runServer } from './main.js';
export type { StartOptions, RunningMcat } from './main.js';
export { loadMcatConfig, mcatConfigSchema, serviceName } from './config.js';
export type { McatConfig } from './config.js';
export { accessTable } from './access-table.js';
export { checkLogin } from './login-check/index.js';
export type { LoginAttempt, LoginOutcome, LoginOutcomeKind, MciasLogin } from './login-check/index.js';
export { statusReport } from './status-report.js';
export type { StatusLine } from './status-report.js';
export { webPaths, sessionCookieName, csrfCookieName } from './web/index.js';
