/**
 * Resource path globs (spec §10.2). A resource is a '/'-separated path such as
 * `ca/pki/issuer/infra`. In a glob, a segment `*` matches exactly one segment and a segment `**`
 * matches any number of segments (zero included); every other segment matches itself exactly.
 * `*` inside a segment (`app-*`) is refused rather than guessed at.
 */

const maxGlobLength = 256;
const literalSegment = /^[A-Za-z0-9._-]+$/;

/** resourceGlobProblem returns why `pattern` is not a valid resource glob, or undefined. */
export function resourceGlobProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.length > maxGlobLength) return `must be at most ${maxGlobLength} characters`;
  for (const segment of pattern.split('/')) {
    if (segment === '') return `"${pattern}" has an empty segment (no leading, trailing or double "/")`;
    if (segment === '*' || segment === '**') continue;
    if (segment.includes('*')) return `"${pattern}": "*" and "**" must stand for a whole segment`;
    if (!literalSegment.test(segment)) return `"${pattern}": segments may use only letters, digits, ".", "_" and "-"`;
  }
  return undefined;
}

/**
 * matchResourceGlob reports whether `resource` matches `pattern`. It is a dynamic programme over
 * (pattern segment, resource segment) so that several `**` cannot make it exponential.
 */
export function matchResourceGlob(pattern: string, resource: string): boolean {
  const p = pattern.split('/');
  const r = resource.split('/');
  // reachable[j]: the first i pattern segments can consume exactly the first j resource segments.
  let reachable: boolean[] = Array.from({ length: r.length + 1 }, (_, j) => j === 0);
  for (const segment of p) {
    const next: boolean[] = new Array<boolean>(r.length + 1).fill(false);
    for (let j = 0; j <= r.length; j++) {
      if (segment === '**') {
        // `**` extends any reachable prefix by zero or more segments.
        next[j] = (reachable[j] ?? false) || (j > 0 && (next[j - 1] ?? false));
      } else if (j > 0 && reachable[j - 1]) {
        const part = r[j - 1] ?? '';
        next[j] = segment === '*' ? part !== '' : segment === part;
      }
    }
    reachable = next;
  }
  return reachable[r.length] ?? false;
}
