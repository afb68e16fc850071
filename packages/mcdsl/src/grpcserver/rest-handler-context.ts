import type { DescMethod, DescService } from '@bufbuild/protobuf';
import type { ContextValues, HandlerContext } from '@connectrpc/connect';
import type { FastifyReply, FastifyRequest } from 'fastify';

// The response headers a handler set, by reply, so the route can send them: the context builds
// its Headers lazily, and most calls never set one.
const responseHeaders = new WeakMap<FastifyReply, Headers>();

/**
 * restHandlerContext is the HandlerContext a transcoded REST call hands its RPC implementation.
 * It is built by hand rather than with connect's createHandlerContext, whose deadline and abort
 * plumbing (several linked AbortControllers per call) cost about a tenth of a busy endpoint's
 * CPU: a REST call carries no deadline, and its signal is only made when a handler asks for it
 * (it aborts when the client goes away before the answer is sent). Request headers are copied
 * into a Headers object only when a handler reads them.
 */
export function restHandlerContext(
  request: FastifyRequest,
  reply: FastifyReply,
  init: { readonly service: DescService; readonly method: DescMethod; readonly values: ContextValues },
): HandlerContext {
  let requestHeader: Headers | undefined;
  let responseHeader: Headers | undefined;
  let responseTrailer: Headers | undefined;
  let controller: AbortController | undefined;
  return {
    service: init.service,
    method: init.method,
    protocolName: 'rest',
    requestMethod: request.method,
    url: request.url,
    values: init.values,
    timeoutMs: () => undefined,
    get signal() {
      if (!controller) {
        const c = new AbortController();
        controller = c;
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) c.abort(new Error('client went away'));
        });
      }
      return controller.signal;
    },
    get requestHeader() {
      requestHeader ??= headersOf(request);
      return requestHeader;
    },
    get responseHeader() {
      if (!responseHeader) {
        responseHeader = new Headers();
        responseHeaders.set(reply, responseHeader);
      }
      return responseHeader;
    },
    get responseTrailer() {
      responseTrailer ??= new Headers();
      return responseTrailer;
    },
  };
}

/**
 * applyResponseHeaders copies the headers the handler set on ctx.responseHeader (x-request-id,
 * ...) to the REST reply, as the gRPC surface sends them; call it before the reply is sent.
 */
export function applyResponseHeaders(reply: FastifyReply): void {
  const headers = responseHeaders.get(reply);
  if (headers) for (const [k, v] of headers) reply.header(k, v);
}

function headersOf(request: FastifyRequest): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(request.headers)) {
    if (typeof v === 'string') headers.set(k, v);
    else if (Array.isArray(v)) for (const item of v) headers.append(k, item);
  }
  return headers;
}
