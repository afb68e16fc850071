import { InvalidRequestError, type Logger, type SqliteDatabase } from '@metacircular/mcdsl';
import {
  AccountManager,
  Lockout,
  LoginFlow,
  PasswordCheck,
  PasswordHasher,
  PasswordManager,
  RoleManager,
  TotpFactor,
} from './accounts/index.js';
import { AuditLog } from './audit/index.js';
import { Authorizer } from './authz/index.js';
import type { Clock } from './clock.js';
import type { MciasConfig } from './config.js';
import type { Core } from './core.js';
import { RateLimiter, type RateLimit } from './rate-limit/index.js';
import { createStores } from './store/index.js';
import { TokenAuthority } from './tokens/index.js';
import { Vault, readMasterKeyFile, type MasterSecret } from './vault/index.js';
import { Passkeys } from './webauthn/index.js';

/** RateLimits are the per-client token buckets (spec 1.16 for unseal; login is our choice). */
export interface RateLimits {
  readonly login: RateLimit;
  readonly unseal: RateLimit;
}

/** defaultRateLimits: login 10/s burst 10 (as the gRPC limit), unseal 3/s burst 5. */
export const defaultRateLimits: RateLimits = Object.freeze({
  login: { perSecond: 10, burst: 10 },
  unseal: { perSecond: 3, burst: 5 },
});

/**
 * buildCore wires the domain objects on a migrated database, innermost first: stores -> vault
 * -> audit -> policy -> tokens -> passwords -> accounts -> TOTP -> login -> passkeys. It does no I/O beyond
 * preparing statements and loading the policy rules; the vault starts sealed.
 */
export function buildCore(opts: {
  config: MciasConfig;
  db: SqliteDatabase;
  now: Clock;
  logger: Logger;
  rateLimits?: Partial<RateLimits>;
}): Core {
  const { config, db, now, logger } = opts;
  const stores = createStores(db);
  const vault = new Vault({ store: stores.vault, keySource: config.master_key.kind, now });
  const audit = new AuditLog(stores.audit, now);
  const authorizer = new Authorizer(stores.policyRules, now);
  const tokens = new TokenAuthority({
    vault,
    accounts: stores.accounts,
    roles: stores.roles,
    tokens: stores.tokens,
    issuer: config.tokens.issuer,
    lifetimes: {
      defaultMs: config.tokens.default_expiry,
      adminMs: config.tokens.admin_expiry,
      serviceMs: config.tokens.service_expiry,
    },
    now,
    dataVersion: databaseVersion(db),
  });
  const hasher = new PasswordHasher(config.argon2);
  const lockout = new Lockout(
    stores.failedLogins,
    { maxFailures: config.lockout.max_failures, windowMs: config.lockout.window, durationMs: config.lockout.duration },
    now,
  );
  const check = new PasswordCheck(hasher, lockout);
  const accounts = new AccountManager({ stores, hasher, tokens, audit, now });
  const roles = new RoleManager({ stores, accounts, audit });
  const passwords = new PasswordManager({ stores, accounts, hasher, check, lockout, tokens, audit, now });
  const totp = new TotpFactor({ stores, accounts, vault, check, audit, now });
  const logins = new LoginFlow({ stores, hasher, passwords: check, totp, authorizer, tokens, audit });
  const passkeys = new Passkeys({ config: config.webauthn, stores, vault, accounts, check, lockout, logins, audit, now });
  const limits = {
    login: new RateLimiter(opts.rateLimits?.login ?? defaultRateLimits.login, now),
    unseal: new RateLimiter(opts.rateLimits?.unseal ?? defaultRateLimits.unseal, now),
  };
  const masterKey = config.master_key;
  const masterSecret = async (passphrase: string): Promise<MasterSecret> => {
    if (masterKey.kind === 'passphrase') return { passphrase };
    if (passphrase !== '') {
      throw new InvalidRequestError(
        'this vault is unsealed with its key file; send an empty passphrase once the key file is in place',
        {
          code: 'ERR_KEY_SOURCE',
        },
      );
    }
    return { key: await readMasterKeyFile(masterKey.keyfile) };
  };
  return {
    config,
    now,
    logger,
    stores,
    vault,
    audit,
    authorizer,
    tokens,
    accounts,
    roles,
    passwords,
    totp,
    logins,
    passkeys,
    limits,
    masterSecret,
  };
}

/**
 * databaseVersion returns a stamp that changes on every write to the database: total_changes()
 * counts this connection's writes, data_version moves when another connection (mcias init, a
 * break-glass tool) commits. One cheap statement instead of the lookups it lets us skip.
 */
function databaseVersion(db: SqliteDatabase): () => string {
  const stmt = db.prepare<[], { c: number; v: number }>(
    'SELECT total_changes() AS c, data_version AS v FROM pragma_data_version',
  );
  return () => {
    const row = stmt.get();
    return row ? `${row.c}:${row.v}` : '';
  };
}
