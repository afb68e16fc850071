/**
 * Exclude patterns for archives, gitignore-like but small:
 *
 * - `*` matches within one path segment, `?` one character, `**` any number of segments;
 * - a pattern without `/` matches the name at any depth (`*.db` excludes `a/b/x.db`);
 * - a pattern with a `/` inside matches the path from the data directory (`certs/*.tmp`);
 * - a trailing `/` matches directories only (`backups/`), and excluding a directory
 *   excludes everything under it.
 */

/** defaultExcludes are always excluded: the live database files (a snapshot is added instead) and old backups. */
export const defaultExcludes: readonly string[] = ['*.db', '*.db-wal', '*.db-shm', '*.db-journal', 'backups/'];

/** ExcludeMatcher says whether a path (relative, with `/`) is excluded. */
export type ExcludeMatcher = (relativePath: string, isDirectory: boolean) => boolean;

/** compileExcludes builds one matcher from a list of patterns. */
export function compileExcludes(patterns: readonly string[]): ExcludeMatcher {
  const compiled = patterns.filter((p) => p.trim() !== '').map(compileOne);
  return (relativePath, isDirectory) => compiled.some((match) => match(relativePath, isDirectory));
}

function compileOne(pattern: string): ExcludeMatcher {
  let text = pattern.trim().replace(/^\.\//, '');
  const directoryOnly = text.endsWith('/');
  if (directoryOnly) text = text.replace(/\/+$/, '');
  const anchored = text.includes('/');
  text = text.replace(/^\/+/, '');
  const regex = new RegExp(`^${toRegexSource(text)}$`);
  return (relativePath, isDirectory) => {
    if (directoryOnly && !isDirectory) return false;
    if (anchored) return regex.test(relativePath);
    const base = relativePath.slice(relativePath.lastIndexOf('/') + 1);
    return regex.test(base);
  };
}

function toRegexSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole segments; a bare `**` anything at all.
      if (glob[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}
