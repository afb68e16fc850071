import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';
import { NotFoundError, httpStatusOf, publicMessageOf, McError } from '../errors/index.js';

/** ErrorReply is what an edge answers for one thrown value. */
export interface ErrorReply {
  readonly status: number;
  /** safe to show the caller */
  readonly message: string;
  /** true when the error was unexpected and its details belong in the log */
  readonly internal: boolean;
}

// Fixed messages for fastify's own request errors, so a caller sees what to fix in our words.
const fastifyMessages: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'request body too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported content type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request body length does not match content-length',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request body is empty; send a json document or drop the content-type',
  FST_ERR_CTP_INVALID_JSON_BODY: 'request body is not valid json',
};

/**
 * errorReply maps a thrown value to the status and message of a `{"error": "..."}` response:
 * McError by its category, fastify's client errors (validation, body limit, bad JSON) to their
 * 4xx status, and anything else to 500 "internal error".
 */
export function errorReply(err: unknown): ErrorReply {
  if (err instanceof McError) return { status: httpStatusOf(err), message: publicMessageOf(err), internal: false };
  const fe = err as Partial<FastifyError> | undefined;
  if (fe && typeof fe === 'object') {
    if (fe.validation) return { status: 400, message: `invalid request: ${fe.message ?? 'validation failed'}`, internal: false };
    const status = fe.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const known = fe.code ? fastifyMessages[fe.code] : undefined;
      if (known) return { status, message: known, internal: false };
      if (err instanceof SyntaxError) return { status: 400, message: 'request body is not valid json', internal: false };
      return { status, message: (STATUS_CODES[status] ?? 'bad request').toLowerCase(), internal: false };
    }
  }
  return { status: 500, message: 'internal error', internal: true };
}

/**
 * installErrorReplies makes every error and every unknown route answer `{"error": "..."}`;
 * unexpected errors are logged with their stack and shown only as "internal error".
 */
export function installErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const { status, message, internal } = errorReply(err);
    if (internal) request.log.error({ err }, 'request failed');
    else if (status >= 500) request.log.warn({ code: (err as { code?: string }).code }, message);
    return reply.code(status).send({ error: message });
  });
  app.setNotFoundHandler((_request, reply) => {
    return reply.code(404).send({ error: new NotFoundError().message });
  });
}
