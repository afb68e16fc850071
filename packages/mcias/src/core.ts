import type { Logger } from '@metacircular/mcdsl';
import type { AccountManager, LoginFlow, PasswordManager, RoleManager, TotpFactor } from './accounts/index.js';
import type { AuditLog } from './audit/index.js';
import type { Authorizer } from './authz/index.js';
import type { Clock } from './clock.js';
import type { MciasConfig } from './config.js';
import type { RateLimiter } from './rate-limit/index.js';
import type { Stores } from './store/index.js';
import type { TokenAuthority } from './tokens/index.js';
import type { MasterSecret, Vault } from './vault/index.js';
import type { Passkeys } from './webauthn/index.js';

/**
 * Core is everything the RPC handlers use, built once by the composition root (main.ts) and
 * handed to each service factory. Handlers hold no state of their own.
 */
export interface Core {
  readonly config: MciasConfig;
  readonly now: Clock;
  readonly logger: Logger;
  readonly stores: Stores;
  readonly vault: Vault;
  readonly audit: AuditLog;
  readonly authorizer: Authorizer;
  readonly tokens: TokenAuthority;
  readonly accounts: AccountManager;
  readonly roles: RoleManager;
  readonly passwords: PasswordManager;
  readonly totp: TotpFactor;
  readonly logins: LoginFlow;
  /** WebAuthn (throws 412 on every call when `[webauthn]` is absent) */
  readonly passkeys: Passkeys;
  /** per-client token buckets: login (and the other credential checks) and unseal */
  readonly limits: { readonly login: RateLimiter; readonly unseal: RateLimiter };
  /** masterSecret turns an unseal request's passphrase into what the vault takes (re-reads a key file) */
  readonly masterSecret: (passphrase: string) => Promise<MasterSecret>;
}
