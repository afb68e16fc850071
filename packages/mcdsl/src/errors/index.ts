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
  httpStatusOf,
  publicMessageOf,
} from './errors.js';
export type { ErrorCategory } from './errors.js';
