import type { SqliteDatabase } from '@metacircular/mcdsl';
import { AccountStore } from './account-store.js';
import { AuditStore } from './audit-store.js';
import { FailedLoginStore } from './failed-login-store.js';
import { PolicyRuleStore } from './policy-rule-store.js';
import { RoleStore } from './role-store.js';
import { TagStore } from './tag-store.js';
import { TokenStore } from './token-store.js';
import { VaultStore } from './vault-store.js';
import { WebAuthnCredentialStore } from './webauthn-credential-store.js';

/** Stores bundles one repository per table group, all on the same connection. */
export interface Stores {
  readonly db: SqliteDatabase;
  readonly accounts: AccountStore;
  readonly roles: RoleStore;
  readonly tags: TagStore;
  readonly failedLogins: FailedLoginStore;
  readonly tokens: TokenStore;
  readonly policyRules: PolicyRuleStore;
  readonly audit: AuditStore;
  readonly vault: VaultStore;
  readonly webauthn: WebAuthnCredentialStore;
}

/** createStores builds the repositories of a migrated database (prepares statements, no writes). */
export function createStores(db: SqliteDatabase): Stores {
  return {
    db,
    accounts: new AccountStore(db),
    roles: new RoleStore(db),
    tags: new TagStore(db),
    failedLogins: new FailedLoginStore(db),
    tokens: new TokenStore(db),
    policyRules: new PolicyRuleStore(db),
    audit: new AuditStore(db),
    vault: new VaultStore(db),
    webauthn: new WebAuthnCredentialStore(db),
  };
}
