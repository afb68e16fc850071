/**
 * principalMatches reports whether a principal matches a profile's allowed_principals glob:
 * '*' matches any run of characters (dots included, so "*.example.net" matches
 * "a.b.example.net"), '?' exactly one, everything else itself, case-sensitively (sshd compares
 * principals exactly).
 */
export function principalMatches(pattern: string, principal: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(principal);
}

/** anyPrincipalMatches reports whether some glob of patterns matches principal. */
export function anyPrincipalMatches(patterns: readonly string[], principal: string): boolean {
  return patterns.some((p) => principalMatches(p, principal));
}
