// client: the typed MCIAS client library (spec 1.13) that mciasctl, MCAT, `mc up` and other
// services use to manage MCIAS; plain token validation for services is mcdsl's Authenticator.
export { MciasClient } from './mcias-client.js';
export type { MciasClientOptions } from './mcias-client.js';
export {
  MciasAuthError,
  MciasConflictError,
  MciasForbiddenError,
  MciasInputError,
  MciasNotFoundError,
  MciasPreconditionError,
  MciasRateLimitError,
  MciasServerError,
} from './mcias-errors.js';
export type { MciasError } from './mcias-errors.js';
export type {
  Account,
  AccountStatus,
  AccountType,
  AuditEvent,
  AuditFilters,
  AuditPage,
  CreateAccountInput,
  IssuedToken,
  JWKS,
  PolicyRule,
  PolicyRuleInput,
  PublicKeyJWK,
  TOTPEnrollment,
  TokenInfo,
} from './mcias-types.js';
