import { McError } from '@metacircular/mcdsl';
import { tokenHint } from './ctl-context.js';

/**
 * The exit codes of mcnsctl, for scripts: 0 success, 1 the operation failed (refused, not
 * found, conflict, server unreachable), 2 bad usage, 3 not authenticated (no, expired or
 * revoked token).
 */
export const ExitCode = { Failure: 1, Usage: 2, Unauthenticated: 3 } as const;

/** ErrorReport is what to print on stderr and which code to exit with. */
export interface ErrorReport {
  readonly message: string;
  readonly exitCode: number;
}

/** reportError turns a failure into one line that says what went wrong and what to do. */
export function reportError(err: unknown): ErrorReport {
  if (err instanceof McError) {
    if (err.code === 'ERR_NOT_LOGGED_IN') return { message: err.message, exitCode: ExitCode.Unauthenticated };
    if (err.code === 'ERR_USAGE') return { message: err.message, exitCode: ExitCode.Usage };
    switch (err.category) {
      case 'unauthenticated':
        return {
          message: `${err.message} (the token is missing, expired or revoked: ${tokenHint})`,
          exitCode: ExitCode.Unauthenticated,
        };
      case 'forbidden':
        return { message: `refused: ${err.message}`, exitCode: ExitCode.Failure };
      case 'unavailable':
        return err.code === 'ERR_SERVER'
          ? { message: err.message, exitCode: ExitCode.Failure }
          : {
              message: `cannot reach mcns: ${err.message} (check --server/MCNS_SERVER and --ca-cert/MCNS_CA_CERT)`,
              exitCode: ExitCode.Failure,
            };
      default:
        return { message: err.message, exitCode: ExitCode.Failure };
    }
  }
  // System errors (EACCES on a token file, ...) speak to the operator; anything else is a bug.
  if (err instanceof Error && 'code' in err) return { message: err.message, exitCode: ExitCode.Failure };
  return { message: err instanceof Error ? (err.stack ?? err.message) : String(err), exitCode: ExitCode.Failure };
}
