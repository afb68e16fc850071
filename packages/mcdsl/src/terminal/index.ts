/**
 * terminal: how CLIs get passwords without echoing them and without argv.
 *
 * `readPassword(prompt)` prompts on the terminal (stderr) and reads a line in raw mode, so
 * nothing typed is echoed; it refuses when stdin is not a TTY and points at the two
 * non-interactive ways: `readPasswordFromStdin()` (`--password-stdin`) and
 * `readPasswordFile(path)` (`--password-file`, refusing files other users can read).
 * Ctrl-C while prompting rejects with code ERR_INTERRUPTED; CLIs exit 130 on it.
 */
export { readPassword } from './read-password.js';
export type { ReadPasswordOptions } from './read-password.js';
export { readPasswordFromStdin, readPasswordFile } from './read-password-input.js';
