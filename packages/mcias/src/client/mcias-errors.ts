import {
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  McError,
  NotFoundError,
  PreconditionError,
  RateLimitedError,
  UnauthenticatedError,
} from '@metacircular/mcdsl';

/**
 * The typed errors of the MCIAS client (spec 1.13). Each one is a subclass of the mcdsl error of
 * the same category, so a service that calls MCIAS on behalf of its own caller can let them
 * through its edge unchanged (a 404 from MCIAS is a 404 here), and each carries the HTTP status
 * MCIAS answered. Messages quote MCIAS's `{"error": ...}` text with the operation in front;
 * they never contain a token (see errorFromResponse).
 */

/** MciasInputError is a request MCIAS refused as given: 400 (and any other 4xx not listed here). */
export class MciasInputError extends InvalidRequestError {
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message, { code: 'ERR_MCIAS_INPUT' });
    this.status = status;
  }
}

/** MciasAuthError is a 401: bad credentials, a missing, expired or revoked token. */
export class MciasAuthError extends UnauthenticatedError {
  readonly status = 401;
  constructor(message: string) {
    super(message, { code: 'ERR_MCIAS_AUTH' });
  }
}

/** MciasForbiddenError is a 403: the caller lacks the right, or the login policy denied the login. */
export class MciasForbiddenError extends ForbiddenError {
  readonly status = 403;
  constructor(message: string) {
    super(message, { code: 'ERR_MCIAS_FORBIDDEN' });
  }
}

/** MciasNotFoundError is a 404: no such account, rule, token or route. */
export class MciasNotFoundError extends NotFoundError {
  readonly status = 404;
  constructor(message: string) {
    super(message, { code: 'ERR_MCIAS_NOT_FOUND' });
  }
}

/** MciasConflictError is a 409, e.g. a duplicate username. */
export class MciasConflictError extends ConflictError {
  readonly status = 409;
  constructor(message: string) {
    super(message, { code: 'ERR_MCIAS_CONFLICT' });
  }
}

/** MciasPreconditionError is a 412: the account or server is not in the state the call needs. */
export class MciasPreconditionError extends PreconditionError {
  readonly status = 412;
  constructor(message: string) {
    super(message, { code: 'ERR_MCIAS_PRECONDITION' });
  }
}

/** MciasRateLimitError is a 429: too many attempts (logins, unseals) from this client; retry later. */
export class MciasRateLimitError extends RateLimitedError {
  readonly status = 429;
  constructor(message: string) {
    super(message, { code: 'ERR_MCIAS_RATE_LIMITED' });
  }
}

/**
 * MciasServerError is a 5xx, or a reply that does not have the documented shape. A 503 whose
 * message says the vault is sealed has `sealed` set and the mcdsl category 'sealed'.
 */
export class MciasServerError extends McError {
  readonly status: number;
  readonly sealed: boolean;
  constructor(message: string, status: number, options: { sealed?: boolean; code?: string } = {}) {
    const sealed = options.sealed === true;
    super(sealed ? 'sealed' : 'unavailable', options.code ?? (sealed ? 'ERR_MCIAS_SEALED' : 'ERR_MCIAS_SERVER'), message);
    this.status = status;
    this.sealed = sealed;
  }
}

/** MciasError is any of the typed errors above. */
export type MciasError =
  | MciasInputError
  | MciasAuthError
  | MciasForbiddenError
  | MciasNotFoundError
  | MciasConflictError
  | MciasPreconditionError
  | MciasRateLimitError
  | MciasServerError;

/**
 * errorFromResponse turns a non-2xx answer into its typed error. `operation` names the call
 * ("create account"); `secrets` (the client's token, a token being validated) are cut out of
 * MCIAS's message in case a server ever echoes one back.
 */
export function errorFromResponse(operation: string, status: number, body: unknown, secrets: readonly string[] = []): MciasError {
  const said = serverMessage(body);
  // Redact before shortening, so a cut can never leave part of a secret behind.
  const text = said === undefined ? `mcias answered ${status}` : oneLine(redact(said, secrets));
  const message = `${operation}: ${text}`;
  if (status === 400) return new MciasInputError(message);
  if (status === 401) return new MciasAuthError(message);
  if (status === 403) return new MciasForbiddenError(message);
  if (status === 404) return new MciasNotFoundError(message);
  if (status === 409) return new MciasConflictError(message);
  if (status === 412) return new MciasPreconditionError(message);
  if (status === 429) return new MciasRateLimitError(message);
  if (status >= 400 && status < 500) return new MciasInputError(message, status);
  return new MciasServerError(message, status, { sealed: status === 503 && /\bsealed\b/i.test(message) });
}

function serverMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error;
  return typeof error === 'string' && error !== '' ? error : undefined;
}

// A hostile or broken server could send anything; keep its message one short line without
// control characters (which could drive the terminal of a CLI printing it).
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').slice(0, 500);
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  return out;
}
