/**
 * Clock returns the current time in milliseconds since the epoch. Every time-dependent decision
 * in MCIAS (token iat/exp and their check, lockout windows, policy rule windows, TOTP steps,
 * rate-limit refills, audit timestamps) reads the one clock the composition root injects, so
 * tests freeze or move time instead of sleeping.
 */
export type Clock = () => number;

/** systemClock is the wall clock. */
export const systemClock: Clock = () => Date.now();
