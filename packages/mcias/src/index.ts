// @metacircular/mcias: the identity service. The front door for the platform and for tests:
// start a server, read its config, and the vocabulary its API speaks (roles, actions, audit
// events). Test builders are in '@metacircular/mcias/testing'.
export { startServer } from './main.js';
export type { StartOptions, RunningMcias, Endpoint } from './main.js';
export { buildCore, defaultRateLimits } from './build-core.js';
export type { RateLimits } from './build-core.js';
export type { Core } from './core.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export { loadMciasConfig, parseMciasConfig, mciasConfigSchema, defaultPassphraseEnv } from './config.js';
export type { MciasConfig, MciasConfigInput, MasterKeyConfig } from './config.js';
export { rpcAccess, mciasAccessTable } from './access-table.js';
export { allowedRoles, adminRole, minPasswordLength } from './accounts/index.js';
export { AuditEvents } from './audit/index.js';
export type { AuditEventType } from './audit/index.js';
export { Actions, builtinRules } from './policy/index.js';
export type { Action, PolicyRule } from './policy/index.js';
export type { MciasCaller } from './tokens/index.js';
export {
  MciasClient,
  MciasAuthError,
  MciasConflictError,
  MciasForbiddenError,
  MciasInputError,
  MciasNotFoundError,
  MciasPreconditionError,
  MciasRateLimitError,
  MciasServerError,
} from './client/index.js';
export type {
  MciasClientOptions,
  MciasError,
  Account,
  AccountStatus,
  AccountType as ClientAccountType,
  AuditEvent,
  AuditFilters,
  AuditPage,
  CreateAccountInput,
  IssuedToken,
  JWKS,
  PolicyRule as ClientPolicyRule,
  PolicyRuleInput,
  PublicKeyJWK,
  TOTPEnrollment,
  TokenInfo,
} from './client/index.js';
