// store: the SQLite schema (numbered migrations) and one repository per table group.
export { migrations } from './migrations.js';
export { createStores } from './stores.js';
export type { Stores } from './stores.js';
export { AccountStore } from './account-store.js';
export type { AccountRecord, AccountStatus, TotpState, NewAccount } from './account-store.js';
export { RoleStore } from './role-store.js';
export { TagStore } from './tag-store.js';
export { FailedLoginStore } from './failed-login-store.js';
export type { FailedLogins } from './failed-login-store.js';
export { TokenStore } from './token-store.js';
export type { TokenKind, IssuedTokenRecord } from './token-store.js';
export { PolicyRuleStore } from './policy-rule-store.js';
export type { OperatorRule, RuleFields } from './policy-rule-store.js';
export { AuditStore } from './audit-store.js';
export type { AuditRecord, NewAuditRecord, AuditQuery } from './audit-store.js';
export { VaultStore } from './vault-store.js';
export type { VaultMeta, KeySource } from './vault-store.js';
