// accounts: the account lifecycle, roles, tags, passwords (Argon2id, lockout), TOTP as a second
// factor, and the password login flow.
export { AccountManager } from './account-manager.js';
export type { AccountView, CreateAccountInput } from './account-manager.js';
export { RoleManager } from './role-manager.js';
export { PasswordManager, invalidCredentials } from './password-manager.js';
export { PasswordHasher } from './password-hasher.js';
export type { Argon2Params } from './password-hasher.js';
export { PasswordCheck } from './password-check.js';
export type { PasswordCheckResult } from './password-check.js';
export { Lockout } from './lockout.js';
export type { LockoutSettings } from './lockout.js';
export { TotpFactor, totpAAD, totpIssuer } from './totp-factor.js';
export type { TotpLoginCheck } from './totp-factor.js';
export { LoginFlow } from './login-flow.js';
export type { LoginContext, LoginInput } from './login-flow.js';
export { validateUsername } from './username.js';
export { allowedRoles, adminRole, validateRole, validateRoles } from './roles.js';
export { validateTags } from './tags.js';
export { validateNewPassword, minPasswordLength, maxPasswordLength } from './password-rules.js';
