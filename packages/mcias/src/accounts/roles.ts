import { InvalidRequestError } from '@metacircular/mcdsl';

/**
 * allowedRoles is the compile-time role allow-list (spec 1.3). Only `admin` means something
 * inside MCIAS; the others are for relying services' own policies.
 */
export const allowedRoles = Object.freeze(['admin', 'user', 'guest', 'viewer', 'editor', 'commenter'] as const);

/** adminRole is the one role with built-in meaning. */
export const adminRole = 'admin';

const allowed: ReadonlySet<string> = new Set(allowedRoles);

/** validateRole throws InvalidRequestError for a role outside the allow-list. */
export function validateRole(role: string): string {
  if (!allowed.has(role)) {
    throw new InvalidRequestError(`role "${role}" is not allowed; use one of ${allowedRoles.join(', ')}`, {
      code: 'ERR_BAD_ROLE',
    });
  }
  return role;
}

/** validateRoles validates each role and returns the set sorted, without duplicates. */
export function validateRoles(roles: readonly string[]): string[] {
  return [...new Set(roles.map(validateRole))].sort();
}
