/**
 * The one error model of the platform. Domain code throws these; only the edges map them to
 * an HTTP status, a gRPC code or a DNS RCODE. Every error carries a stable string `code` that
 * tests and clients can match on, and an optional `cause` for the wrapped failure.
 *
 * Messages are lowercase and say what to do where they can. Security failures use fixed,
 * generic messages so that they leak nothing about why a check failed.
 */
export type ErrorCategory =
  | 'invalid_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'sealed'
  | 'unavailable'
  | 'rate_limited'
  | 'internal';

/** McError is the base of every error the platform raises on purpose. */
export class McError extends Error {
  readonly category: ErrorCategory;
  readonly code: string;

  constructor(category: ErrorCategory, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.category = category;
    this.code = code;
  }
}

/** InvalidRequestError is bad input from the caller: 400 / INVALID_ARGUMENT. */
export class InvalidRequestError extends McError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super('invalid_request', options?.code ?? 'ERR_INVALID_REQUEST', message, options);
  }
}

/** UnauthenticatedError is a missing, bad or expired credential: 401 / UNAUTHENTICATED. */
export class UnauthenticatedError extends McError {
  constructor(message = 'authentication required', options?: { cause?: unknown; code?: string }) {
    super('unauthenticated', options?.code ?? 'ERR_UNAUTHENTICATED', message, options);
  }
}

/** ForbiddenError is a known caller without the right: 403 / PERMISSION_DENIED. */
export class ForbiddenError extends McError {
  constructor(message = 'forbidden', options?: { cause?: unknown; code?: string }) {
    super('forbidden', options?.code ?? 'ERR_FORBIDDEN', message, options);
  }
}

/** NotFoundError: 404 / NOT_FOUND. */
export class NotFoundError extends McError {
  constructor(message = 'not found', options?: { cause?: unknown; code?: string }) {
    super('not_found', options?.code ?? 'ERR_NOT_FOUND', message, options);
  }
}

/** ConflictError: the resource exists or changed under the caller: 409 / ALREADY_EXISTS. */
export class ConflictError extends McError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super('conflict', options?.code ?? 'ERR_CONFLICT', message, options);
  }
}

/** PreconditionError: the system is not in the state the call needs: 412 / FAILED_PRECONDITION. */
export class PreconditionError extends McError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super('precondition_failed', options?.code ?? 'ERR_PRECONDITION', message, options);
  }
}

/** SealedError: the service's barrier is sealed: 503 / UNAVAILABLE. */
export class SealedError extends McError {
  constructor(message = 'service is sealed', options?: { cause?: unknown }) {
    super('sealed', 'ERR_SEALED', message, options);
  }
}

/** UnavailableError: a dependency cannot be reached right now: 503 / UNAVAILABLE. */
export class UnavailableError extends McError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super('unavailable', options?.code ?? 'ERR_UNAVAILABLE', message, options);
  }
}

/** RateLimitedError: the caller sent too much too fast: 429 / RESOURCE_EXHAUSTED. */
export class RateLimitedError extends McError {
  constructor(message = 'too many requests; slow down and retry', options?: { cause?: unknown; code?: string }) {
    super('rate_limited', options?.code ?? 'ERR_RATE_LIMITED', message, options);
  }
}

const httpStatusByCategory: Record<ErrorCategory, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  sealed: 503,
  unavailable: 503,
  rate_limited: 429,
  internal: 500,
};

/** httpStatusOf maps any thrown value to the HTTP status the edge should answer with. */
export function httpStatusOf(err: unknown): number {
  return err instanceof McError ? httpStatusByCategory[err.category] : 500;
}

/**
 * publicMessageOf is the message an edge may show a caller: the McError's own message, or a
 * fixed "internal error" for anything unexpected (whose details belong in the log only).
 */
export function publicMessageOf(err: unknown): string {
  return err instanceof McError ? err.message : 'internal error';
}

/**
 * errorOfHttpStatus is httpStatusOf read backwards, for clients of the platform's REST APIs: a
 * non-2xx answer becomes the McError of its category with the server's message, so a CLI can
 * exit with the matching code and a service acting for its caller can pass the error through
 * its own edge unchanged (a 403 stays a 403). A 503 whose message names the seal is a
 * SealedError; any other 4xx is an InvalidRequestError; anything else (a 5xx) is an
 * UnavailableError with code ERR_SERVER and the status in its message: the server answered,
 * with a failure, which is not the same as not reaching it.
 */
export function errorOfHttpStatus(status: number, message: string): McError {
  switch (status) {
    case 400:
      return new InvalidRequestError(message);
    case 401:
      return new UnauthenticatedError(message);
    case 403:
      return new ForbiddenError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    case 412:
      return new PreconditionError(message);
    case 429:
      return new RateLimitedError(message);
  }
  if (status === 503 && /seal/i.test(message)) return new SealedError(message);
  if (status >= 400 && status < 500) return new InvalidRequestError(message);
  return new UnavailableError(`${message} (status ${status})`, { code: 'ERR_SERVER' });
}
