import type { JsonObject } from '@bufbuild/protobuf';
import { ConnectError } from '@connectrpc/connect';
import { errorReply, httpStatusOfConnectError, InvalidRequestError, McError, type ErrorReply } from '@metacircular/mcdsl';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

// Longest challenge id or passkey name a browser sends; the domain validates them further.
const maxTextLength = 1024;

function fieldsOf(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidRequestError('send a JSON object (content-type application/json)');
  }
  return body as Record<string, unknown>;
}

/** jsonText reads one string field of the passkey script's JSON body: '' when absent. */
export function jsonText(body: unknown, name: string): string {
  const value = fieldsOf(body)[name];
  if (value === undefined) return '';
  if (typeof value !== 'string' || value.length > maxTextLength) {
    throw new InvalidRequestError(`the field ${name} must be a string of at most ${maxTextLength} characters`);
  }
  return value;
}

/** jsonCredential reads the authenticator's answer (`credential.toJSON()`), an object. */
export function jsonCredential(body: unknown): JsonObject {
  const value = fieldsOf(body)['credential'];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidRequestError('the field credential must be the JSON of a PublicKeyCredential');
  }
  return value as JsonObject;
}

/** sendJson answers the passkey script: never cached, never sniffed. */
export function sendJson(reply: FastifyReply, body: object, status = 200): FastifyReply {
  return reply
    .code(status)
    .headers({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(body));
}

// The CSRF refusal says what to do, as the HTML error pages do.
const csrfHint = 'The request was not accepted: it came from an old page or from another site. Reload the page and try again.';

/**
 * passkeyJsonErrors is the error handler of the routes the passkey script calls with fetch: the
 * API's status and message as `{"error"}` JSON, which the script shows in #flash (CSRF 403,
 * sealed 503, 401/403/412/429 from the domain). Unexpected errors are "internal error", with
 * the details in the log only.
 */
export function passkeyJsonErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const cause: unknown = err;
  const refusal: ErrorReply =
    cause instanceof ConnectError
      ? { status: httpStatusOfConnectError(cause), message: cause.rawMessage, internal: false }
      : errorReply(err);
  const code = err instanceof McError ? err.code : undefined;
  if (refusal.internal) request.log.error({ err }, 'passkey request failed');
  else request.log.info({ code, status: refusal.status, error: refusal.message }, 'passkey request refused');
  const message = code === 'ERR_CSRF' ? csrfHint : refusal.message.charAt(0).toUpperCase() + refusal.message.slice(1);
  return sendJson(reply, { error: message }, refusal.status);
}
