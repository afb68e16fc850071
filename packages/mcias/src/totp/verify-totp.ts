import { timingSafeEqual } from 'node:crypto';
import { HOTP, type Secret } from 'otpauth';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { decodeTotpSecret, totpAlgorithm, totpDigits, totpPeriodSeconds } from './totp-secret.js';

/** TotpVerification is verifyTotp's answer; on success `counter` is the time step that matched. */
export type TotpVerification = { ok: true; counter: number } | { ok: false };

const maxWindow = 10;
const sixDigits = /^[0-9]{6}$/;
const refused: TotpVerification = Object.freeze({ ok: false });

/** totpCounterAt is the RFC 6238 time step (30 s) that contains the instant `now` (ms). */
export function totpCounterAt(now: number): number {
  return Math.floor(now / 1000 / totpPeriodSeconds);
}

/**
 * totpCodeAt computes the 6-digit code for the step containing `now` (ms). MCIAS itself only
 * verifies; this exists for tests and tooling that must act as an authenticator app.
 */
export function totpCodeAt(secret: string, now: number): string {
  return hotp(decodeTotpSecret(secret), totpCounterAt(now));
}

/**
 * verifyTotp checks a user's code against a base32 secret. Checks, in order:
 *   1. the code is exactly 6 ASCII digits, else refused before any HMAC is computed
 *   2. `now` is a finite, non-negative time, else refused
 *   3. candidate steps are the current one +/- `window` (default 1), skipping negative steps
 *      and every step <= `lastUsedCounter` (replay prevention: the caller stores the counter
 *      returned and passes it back next time)
 *   4. each candidate's code is compared in constant time; all candidates are computed, and
 *      the highest matching step wins, so the same digits cannot be replayed via an older step
 * Throws InvalidRequestError only for a malformed secret, window or lastUsedCounter (caller bugs,
 * never user input).
 */
export function verifyTotp(
  secret: string,
  code: string,
  opts: { now: number; lastUsedCounter?: number; window?: number },
): TotpVerification {
  const window = opts.window ?? 1;
  if (!Number.isInteger(window) || window < 0 || window > maxWindow) {
    throw new InvalidRequestError(`totp window must be an integer from 0 to ${maxWindow}`);
  }
  // A NaN here would make every `counter <= lastUsedCounter` false and silently disable replay
  // prevention, so anything but an integer is a caller bug.
  if (opts.lastUsedCounter !== undefined && !Number.isSafeInteger(opts.lastUsedCounter)) {
    throw new InvalidRequestError('totp lastUsedCounter must be an integer');
  }
  if (typeof code !== 'string' || !sixDigits.test(code)) return refused;
  if (!Number.isFinite(opts.now) || opts.now < 0) return refused;

  const key = decodeTotpSecret(secret);
  const given = Buffer.from(code, 'ascii');
  const current = totpCounterAt(opts.now);
  const floor = opts.lastUsedCounter ?? -1;
  let matched: number | undefined;
  for (let counter = current - window; counter <= current + window; counter++) {
    if (counter < 0 || counter <= floor) continue;
    if (timingSafeEqual(Buffer.from(hotp(key, counter), 'ascii'), given)) matched = counter;
  }
  return matched === undefined ? refused : { ok: true, counter: matched };
}

// hotp is RFC 4226 HOTP (HMAC-SHA1, dynamic truncation) computed by otpauth over node:crypto.
function hotp(key: Secret, counter: number): string {
  return HOTP.generate({ secret: key, counter, digits: totpDigits, algorithm: totpAlgorithm });
}
