import { Code, ConnectError } from '@connectrpc/connect';
import { McError, publicMessageOf, type ErrorCategory } from '../errors/index.js';

const codeByCategory: Record<ErrorCategory, Code> = {
  invalid_request: Code.InvalidArgument,
  unauthenticated: Code.Unauthenticated,
  forbidden: Code.PermissionDenied,
  not_found: Code.NotFound,
  conflict: Code.AlreadyExists,
  precondition_failed: Code.FailedPrecondition,
  sealed: Code.Unavailable,
  unavailable: Code.Unavailable,
  rate_limited: Code.ResourceExhausted,
  internal: Code.Internal,
};

/** HTTP statuses for gRPC codes, used when a handler throws a ConnectError on the REST surface. */
const httpStatusByCode: Partial<Record<Code, number>> = {
  [Code.InvalidArgument]: 400,
  [Code.OutOfRange]: 400,
  [Code.Unauthenticated]: 401,
  [Code.PermissionDenied]: 403,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.Aborted]: 409,
  [Code.FailedPrecondition]: 412,
  [Code.ResourceExhausted]: 429,
  [Code.Unavailable]: 503,
  [Code.Unimplemented]: 501,
  [Code.DeadlineExceeded]: 504,
};

/**
 * toConnectError maps anything a handler threw to the ConnectError the gRPC edge sends:
 * McErrors keep their message under the matching code, ConnectErrors pass through, and
 * anything else becomes a bare "internal error" (its details belong in the log only).
 */
export function toConnectError(err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  if (err instanceof McError) return new ConnectError(err.message, codeByCategory[err.category]);
  return new ConnectError(publicMessageOf(err), Code.Internal);
}

/** httpStatusOfConnectError gives the REST status for a ConnectError's code. */
export function httpStatusOfConnectError(err: ConnectError): number {
  return httpStatusByCode[err.code] ?? 500;
}
