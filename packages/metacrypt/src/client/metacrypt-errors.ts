import {
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  PreconditionError,
  SealedError,
  UnauthenticatedError,
  UnavailableError,
} from '@metacircular/mcdsl';
import type { McError } from '@metacircular/mcdsl';

/**
 * errorFromResponse turns a non-2xx answer of Metacrypt's REST API into the mcdsl error of the
 * same category, with the operation in front of Metacrypt's `{"error": ...}` text, so a service
 * acting for its own caller can pass it through its edge unchanged (a 403 stays a 403). The
 * token is never part of a message: Metacrypt does not echo it, and `secrets` are cut out anyway.
 */
export function errorFromResponse(operation: string, status: number, body: unknown, secrets: readonly string[] = []): McError {
  let text = (body as { error?: unknown } | undefined)?.error;
  if (typeof text !== 'string' || text === '') text = `status ${status}`;
  for (const secret of secrets) if (secret !== '') text = (text as string).split(secret).join('[redacted]');
  const message = `${operation}: ${text as string}`;
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
    case 503:
      return /seal/i.test(message) ? new SealedError(message) : new UnavailableError(message);
    default:
      return status >= 400 && status < 500 ? new InvalidRequestError(message) : new UnavailableError(message);
  }
}
