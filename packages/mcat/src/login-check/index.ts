// login-check: MCAT's own logic, one login posted to MCIAS and its answer classified.
export { checkLogin } from './check-login.js';
export type { LoginAttempt, MciasLogin } from './check-login.js';
export type { LoginOutcome, LoginOutcomeKind } from './login-outcome.js';
