import { InvalidRequestError } from '@metacircular/mcdsl';

/** mountNamePattern is spec §5's mount name rule: lowercase, digits and dashes, at most 63. */
export const mountNamePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** checkMountName throws InvalidRequestError unless name is a valid mount name. */
export function checkMountName(name: string, field = 'name'): string {
  if (!mountNamePattern.test(name)) {
    throw new InvalidRequestError(
      `${field} must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit (e.g. "pki")`,
      { code: 'ERR_MOUNT_NAME' },
    );
  }
  return name;
}
