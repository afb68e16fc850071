import { InvalidRequestError } from '../errors/index.js';

/**
 * A config error always names the file and the key path, in the TOML spelling an operator can
 * search for: `config /srv/mcr/mcr.toml: [server] tls_cert: required value is missing`.
 */

/** ConfigIssue is one problem with one key; an empty path means the file as a whole. */
export interface ConfigIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** the path names a whole table (`[server]`) rather than a key */
  readonly section?: boolean;
}

/** ConfigError is why a config could not be loaded: every issue found, not just the first. */
export class ConfigError extends InvalidRequestError {
  readonly file: string;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[], options?: { cause?: unknown; location?: string }) {
    const where = options?.location ?? file;
    const parts = issues.map((issue) =>
      issue.path.length === 0
        ? issue.message
        : `${issue.section === true ? formatSectionPath(issue.path) : formatKeyPath(issue.path)}: ${issue.message}`,
    );
    super(`config ${where}: ${parts.join('; ')}`, { code: 'ERR_CONFIG', cause: options?.cause });
    this.file = file;
    this.issues = issues;
  }
}

/**
 * formatKeyPath renders a key path as TOML does: `[server] listen_addr`, `[engines.ca] ttl`,
 * `name` for a top-level key, `[mcias] tags[2]`, `[routes[0]] host` in an array of tables.
 */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '';
  // Trailing array indices stay with their key: `[mcias] tags[2]`.
  let keyAt = path.length - 1;
  while (keyAt > 0 && typeof path[keyAt] === 'number') keyAt--;
  const key =
    String(path[keyAt]) +
    path
      .slice(keyAt + 1)
      .map((index) => `[${String(index)}]`)
      .join('');
  return keyAt === 0 ? key : `${formatSectionPath(path.slice(0, keyAt))} ${key}`;
}

/** formatSectionPath renders the path of a whole table: `[server]`, `[routes[0]]`. */
export function formatSectionPath(path: readonly PropertyKey[]): string {
  const parts = path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`));
  return `[${parts.join('')}]`;
}
