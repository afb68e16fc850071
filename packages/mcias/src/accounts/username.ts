import { InvalidRequestError } from '@metacircular/mcdsl';

/**
 * Usernames are 1-64 characters of lowercase letters, digits, '.', '_' and '-', starting with a
 * letter or digit (finding F-12: length and charset are validated). Lowercase only, so "Alice"
 * and "alice" cannot be two accounts that look the same in a log.
 */
const usernamePattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** validateUsername returns the username or throws InvalidRequestError saying what is allowed. */
export function validateUsername(username: string): string {
  if (!usernamePattern.test(username)) {
    throw new InvalidRequestError(
      'username must be 1-64 characters of lowercase letters, digits, ".", "_" and "-", starting with a letter or digit',
      { code: 'ERR_BAD_USERNAME' },
    );
  }
  return username;
}
