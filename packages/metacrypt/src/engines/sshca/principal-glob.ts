/**
 * principalMatches reports whether a principal matches a profile's allowed_principals glob:
 * '*' matches any run of characters (dots included, so "*.example.net" matches
 * "a.b.example.net"), '?' exactly one, everything else itself, case-sensitively (sshd compares
 * principals exactly). It walks both strings once, backing up only to the last '*', so the work
 * is at most pattern length x principal length: a glob with many '*' compiled to a regular
 * expression would backtrack exponentially on a principal that does not match, and principals
 * come from signing requests.
 */
export function principalMatches(pattern: string, principal: string): boolean {
  let p = 0;
  let s = 0;
  let star = -1; // index of the last '*' seen in pattern
  let resume = 0; // where in principal that '*' currently stops
  while (s < principal.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = s;
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === principal[s])) {
      p++;
      s++;
    } else if (star !== -1) {
      // Let the last '*' swallow one more character and try again from there.
      p = star + 1;
      s = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** anyPrincipalMatches reports whether some glob of patterns matches principal. */
export function anyPrincipalMatches(patterns: readonly string[], principal: string): boolean {
  return patterns.some((p) => principalMatches(p, principal));
}
