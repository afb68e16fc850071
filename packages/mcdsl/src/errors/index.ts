export {
  McError,
  InvalidRequestError,
  UnauthenticatedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  PreconditionError,
  SealedError,
  UnavailableError,
  RateLimitedError,
  httpStatusOf,
  errorOfHttpStatus,
  publicMessageOf,
} from './errors.js';
export type { ErrorCategory } from './errors.js';
