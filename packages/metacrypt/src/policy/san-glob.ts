/**
 * SAN globs (spec §10.2): DNS names compared label by label, case-insensitively, where a label
 * `*` in the glob matches exactly one label of the name. So `*.svc.mcp.example.test` matches
 * `mcns.svc.mcp.example.test` but neither `svc.mcp.example.test` nor `a.b.svc.mcp.example.test`.
 * IP SANs are compared the same way (an IPv4 glob `10.0.0.*` matches one octet), and so are the
 * principals of SSH certificates, which the SSH CA passes as `sans`.
 */

const maxNameLength = 253;
// Visible ASCII except '*' and '.': DNS labels, IPv6 pieces and SSH principals such as `deploy@ci`.
const literalLabel = /^[\x21-\x29\x2b-\x2d\x2f-\x7e]+$/;

/** sanGlobProblem returns why `pattern` is not a valid SAN glob, or undefined. */
export function sanGlobProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.length > maxNameLength) return `must be at most ${maxNameLength} characters`;
  for (const label of pattern.toLowerCase().split('.')) {
    if (label === '') return `"${pattern}" has an empty label (no leading, trailing or double ".")`;
    if (label === '*') continue;
    if (label.includes('*')) return `"${pattern}": "*" must stand for a whole DNS label`;
    if (!literalLabel.test(label)) return `"${pattern}": labels may use only visible ASCII characters`;
  }
  return undefined;
}

/** matchSanGlob reports whether the DNS name (or IP) `san` matches `pattern`. */
export function matchSanGlob(pattern: string, san: string): boolean {
  const p = pattern.toLowerCase().split('.');
  const s = san.toLowerCase().split('.');
  if (p.length !== s.length) return false;
  return p.every((label, i) => {
    const part = s[i] ?? '';
    return label === '*' ? part !== '' : label === part;
  });
}

/** isWildcardSan reports whether a requested SAN is a wildcard name such as `*.example.test`. */
export function isWildcardSan(san: string): boolean {
  return san.includes('*');
}
