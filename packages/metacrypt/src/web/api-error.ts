import { Code, ConnectError } from '@connectrpc/connect';
import { errorReply, httpStatusOfConnectError, type ErrorReply } from '@metacircular/mcdsl';

/**
 * refusalOf describes anything a page's work threw, for the user: an API refusal keeps the
 * API's status and message (its messages are written for callers), the UI's own input checks
 * (McErrors) theirs, a call that never reached the API is a 503, and anything unexpected is
 * "internal error"; the details of the last two are left to the log.
 */
export function refusalOf(err: unknown): ErrorReply {
  if (err instanceof ConnectError) {
    // A cause with a system error code (ECONNREFUSED, ERR_TLS_CERT_ALTNAME_INVALID...) means the
    // call never reached the API: the operator's problem, logged in full, not the user's.
    if (isTransportFailure(err))
      return { status: 503, message: 'the metacrypt api cannot be reached; try again later', internal: true };
    if (err.code === Code.Internal || err.code === Code.Unknown)
      return { status: 500, message: 'internal error', internal: true };
    if (err.code === Code.DeadlineExceeded) return { status: 504, message: 'the api did not answer in time', internal: false };
    return { status: httpStatusOfConnectError(err), message: err.rawMessage, internal: false };
  }
  return errorReply(err);
}

function isTransportFailure(err: ConnectError): boolean {
  return err.cause instanceof Error && typeof (err.cause as NodeJS.ErrnoException).code === 'string';
}

/** Settled is the outcome of an API call a page can live without: its value or why not. */
export type Settled<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string; readonly code: Code };

/**
 * settle runs one API call whose refusal belongs inside a section of the page (a list the
 * caller may not read, a root not generated yet) rather than replacing the whole page. A lost
 * session, a sealed API and unexpected failures are not a section's business: they still throw.
 */
export async function settle<T>(call: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await call };
  } catch (err) {
    if (!(err instanceof ConnectError)) throw err;
    if ([Code.Unauthenticated, Code.Unavailable, Code.Internal, Code.Unknown, Code.DeadlineExceeded].includes(err.code))
      throw err;
    return { ok: false, problem: capitalize(err.rawMessage), code: err.code };
  }
}

/** capitalize starts a message with a capital letter, as the pages print them. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
