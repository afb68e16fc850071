import { InvalidRequestError } from '@metacircular/mcdsl';

/**
 * minPasswordLength is our answer to finding F-13 (the value was not documented): 12
 * characters, long enough to resist offline guessing at Argon2id's cost, short enough for a
 * passphrase of three words. The upper bound only stops absurd inputs.
 */
export const minPasswordLength = 12;
export const maxPasswordLength = 1024;

/** validateNewPassword checks a password being set (never one being verified). */
export function validateNewPassword(password: string, field = 'password'): string {
  const length = [...password].length;
  if (length < minPasswordLength) {
    throw new InvalidRequestError(`${field} must be at least ${minPasswordLength} characters`, { code: 'ERR_WEAK_PASSWORD' });
  }
  if (length > maxPasswordLength) {
    throw new InvalidRequestError(`${field} must be at most ${maxPasswordLength} characters`, { code: 'ERR_BAD_PASSWORD' });
  }
  return password;
}
