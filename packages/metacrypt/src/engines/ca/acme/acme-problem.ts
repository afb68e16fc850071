import { McError } from '@metacircular/mcdsl';

/**
 * ACME errors are RFC 7807 problem documents with a type from the ACME namespace (RFC 8555 §6.7).
 * Handlers throw AcmeProblem; the ACME error handler (acme-routes.ts) turns it, and any McError
 * that escapes the domain code, into `application/problem+json`.
 */

/** AcmeErrorType is the short name of an RFC 8555 §6.7 error type (the IANA "ACME Error Types" registry). */
export type AcmeErrorType =
  | 'accountDoesNotExist'
  | 'alreadyRevoked'
  | 'badCSR'
  | 'badNonce'
  | 'badPublicKey'
  | 'badRevocationReason'
  | 'badSignatureAlgorithm'
  | 'compound'
  | 'connection'
  | 'dns'
  | 'externalAccountRequired'
  | 'incorrectResponse'
  | 'invalidContact'
  | 'malformed'
  | 'orderNotReady'
  | 'rateLimited'
  | 'rejectedIdentifier'
  | 'serverInternal'
  | 'unauthorized'
  | 'unsupportedContact'
  | 'unsupportedIdentifier';

/** acmeErrorPrefix is the URN namespace of ACME error types. */
export const acmeErrorPrefix = 'urn:ietf:params:acme:error:';

/** ProblemDocument is the JSON body of an ACME error (also embedded in challenges and orders). */
export interface ProblemDocument {
  readonly type: string;
  readonly detail: string;
  readonly status?: number;
  readonly identifier?: { readonly type: 'dns'; readonly value: string };
  readonly subproblems?: readonly ProblemDocument[];
  /** badSignatureAlgorithm lists what the server accepts (RFC 8555 §6.2) */
  readonly algorithms?: readonly string[];
}

/** AcmeProblem is a thrown ACME error: its type, an HTTP status and a message naming what to fix. */
export class AcmeProblem extends Error {
  readonly acmeType: AcmeErrorType;
  readonly status: number;
  readonly extra: Pick<ProblemDocument, 'subproblems' | 'algorithms' | 'identifier'>;
  /** sent as the Location header (key-change's 409 names the account that holds the key) */
  readonly location: string | undefined;

  constructor(
    acmeType: AcmeErrorType,
    detail: string,
    status = 400,
    extra: Pick<ProblemDocument, 'subproblems' | 'algorithms' | 'identifier'> = {},
    location?: string,
  ) {
    super(detail);
    this.name = 'AcmeProblem';
    this.acmeType = acmeType;
    this.status = status;
    this.extra = extra;
    this.location = location;
  }

  /** document is the problem+json body. */
  document(): ProblemDocument {
    return { type: acmeErrorPrefix + this.acmeType, detail: this.message, status: this.status, ...this.extra };
  }
}

/** problemDocument builds an embedded problem (challenge and order `error` fields, subproblems). */
export function problemDocument(
  acmeType: AcmeErrorType,
  detail: string,
  extra: Pick<ProblemDocument, 'identifier' | 'status'> = {},
): ProblemDocument {
  return { type: acmeErrorPrefix + acmeType, detail, ...extra };
}

// fastify's own request errors, in ACME terms.
const fastifyProblems: Readonly<Record<string, [number, string]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'request body too large; an acme request is a small jws document'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'content-type must be application/jose+json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'request body length does not match content-length'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'request body is empty; send a jws document'],
};

/**
 * toAcmeProblem maps anything a handler threw to an AcmeProblem: AcmeProblem as is, McErrors by
 * category (sealed and unavailable -> 503 serverInternal, not found -> 404 malformed, forbidden ->
 * 403 unauthorized, bad input -> 400 malformed), fastify's body errors to malformed with their
 * status, and anything else to a generic 500 serverInternal (its details go to the log only).
 */
export function toAcmeProblem(err: unknown): { problem: AcmeProblem; internal: boolean } {
  if (err instanceof AcmeProblem) return { problem: err, internal: false };
  if (err instanceof McError) {
    switch (err.category) {
      case 'sealed':
        return {
          problem: new AcmeProblem('serverInternal', 'metacrypt is sealed; try again once it is unsealed', 503),
          internal: false,
        };
      case 'unavailable':
      case 'rate_limited':
        return { problem: new AcmeProblem('serverInternal', err.message, 503), internal: false };
      case 'not_found':
        return { problem: new AcmeProblem('malformed', err.message, 404), internal: false };
      case 'forbidden':
      case 'unauthenticated':
        return { problem: new AcmeProblem('unauthorized', err.message, 403), internal: false };
      case 'invalid_request':
      case 'conflict':
      case 'precondition_failed':
        return { problem: new AcmeProblem('malformed', err.message, 400), internal: false };
      default:
        break;
    }
  }
  const fe = err as { code?: unknown; statusCode?: unknown } | undefined;
  if (fe && typeof fe === 'object' && typeof fe.code === 'string') {
    const known = fastifyProblems[fe.code];
    if (known) return { problem: new AcmeProblem('malformed', known[1], known[0]), internal: false };
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)
      return { problem: new AcmeProblem('malformed', 'malformed request', fe.statusCode), internal: false };
  }
  return { problem: new AcmeProblem('serverInternal', 'internal error', 500), internal: true };
}
