import { McError } from '@metacircular/mcdsl';
import { MciasAuthError, MciasForbiddenError, MciasServerError } from '../../client/index.js';
import { notLoggedInHint } from './ctl-context.js';

/**
 * The exit codes of mciasctl, for scripts: 0 success, 1 the operation failed (MCIAS refused it,
 * or it could not be reached), 2 bad usage, 3 not authenticated (no, expired or revoked token;
 * bad credentials at login), 130 interrupted at a prompt (Ctrl-C).
 */
export const ExitCode = { Failure: 1, Usage: 2, Unauthenticated: 3, Interrupted: 130 } as const;

/** ErrorReport is what to print on stderr and which code to exit with. */
export interface ErrorReport {
  readonly message: string;
  readonly exitCode: number;
}

/**
 * reportError turns a failure into one line that says what went wrong and what to do. Messages
 * come from the client's typed errors, which never contain a token; anything that is not an
 * expected error is a bug and its stack is shown.
 */
export function reportError(err: unknown, command: string): ErrorReport {
  if (err instanceof MciasAuthError) {
    // A 401 at login means bad credentials; anywhere else, the token is the problem.
    const hint = command === 'login' ? '' : ` (token missing, expired or revoked: ${notLoggedInHint})`;
    return { message: `${err.message}${hint}`, exitCode: ExitCode.Unauthenticated };
  }
  if (err instanceof MciasForbiddenError) {
    const hint = command === 'login' ? '' : ' (the logged-in account is not allowed to do this; log in as an admin)';
    return { message: `${err.message}${hint}`, exitCode: ExitCode.Failure };
  }
  if (err instanceof MciasServerError && err.sealed) {
    return { message: `${err.message} (unseal it with \`mciasctl vault unseal\`)`, exitCode: ExitCode.Failure };
  }
  if (err instanceof McError) {
    if (err.code === 'ERR_INTERRUPTED') return { message: 'interrupted', exitCode: ExitCode.Interrupted };
    if (err.code === 'ERR_NOT_LOGGED_IN') return { message: err.message, exitCode: ExitCode.Unauthenticated };
    if (err.category === 'unavailable' && !(err instanceof MciasServerError)) {
      return {
        message: `cannot reach mcias: ${err.message} (check --server/MCIAS_SERVER and --cacert/MCIAS_CACERT)`,
        exitCode: ExitCode.Failure,
      };
    }
    return { message: err.message, exitCode: ExitCode.Failure };
  }
  // System errors (EACCES on a token file, ...) speak to the operator; anything else is a bug.
  if (err instanceof Error && 'code' in err) return { message: err.message, exitCode: ExitCode.Failure };
  return { message: err instanceof Error ? (err.stack ?? err.message) : String(err), exitCode: ExitCode.Failure };
}
