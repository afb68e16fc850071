import type { AccountType } from '../policy/index.js';

/** TokenLifetimes is the `[tokens]` expiries in milliseconds. */
export interface TokenLifetimes {
  readonly defaultMs: number;
  readonly adminMs: number;
  readonly serviceMs: number;
}

/**
 * lifetimeFor picks a token's lifetime (spec 1.6): system accounts get the long service
 * lifetime; an account holding admin gets the short admin lifetime (checked before the human
 * default, so an admin's token never lives 30 days); everyone else the default.
 */
export function lifetimeFor(accountType: AccountType, roles: readonly string[], lifetimes: TokenLifetimes): number {
  if (accountType === 'system') return lifetimes.serviceMs;
  if (roles.includes('admin')) return lifetimes.adminMs;
  return lifetimes.defaultMs;
}
