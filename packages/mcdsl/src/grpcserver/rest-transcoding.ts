import { create, fromJson, getOption, toJson, type DescMethod, type JsonValue } from '@bufbuild/protobuf';
import { Code, ConnectError, createContextValues } from '@connectrpc/connect';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { http } from '@metacircular/proto/google/api/annotations_pb';
import type { AccessTable } from '../access/index.js';
import { InvalidRequestError } from '../errors/index.js';
import { httpStatusOfConnectError } from './error-codes.js';
import { compilePathTemplate } from './path-template.js';
import { coerceParam } from './param-coercion.js';
import { applyResponseHeaders, restHandlerContext } from './rest-handler-context.js';
import { callerKey, peerAddressKey, procedureOf, type ServiceRegistration } from './service-registration.js';

/** TranscodedRoute is one REST route derived from a google.api.http annotation. */
export interface TranscodedRoute {
  readonly httpMethod: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly route: string;
  readonly procedure: string;
  readonly registration: ServiceRegistration;
  readonly method: DescMethod;
  readonly body: string;
  readonly variables: ReadonlyArray<{ readonly param: string; readonly fieldPath: string }>;
}

/**
 * transcodedRoutes reads the `google.api.http` option of every unary RPC and compiles it to a
 * REST route. RPCs without the option are gRPC-only. Rules follow google/api/http.proto: path
 * variables fill fields, `body: "*"` maps the whole JSON body, `body: "x"` maps it to field x,
 * and every field not bound by path or body may come from the query string.
 */
export function transcodedRoutes(services: readonly ServiceRegistration[]): TranscodedRoute[] {
  const routes: TranscodedRoute[] = [];
  for (const registration of services) {
    for (const method of registration.service.methods) {
      const rule = getOption(method, http);
      if (!rule || rule.pattern.case === undefined) continue;
      const procedure = procedureOf(registration.service, method.name);
      if (method.methodKind !== 'unary') throw new InvalidRequestError(`${procedure}: only unary RPCs can have an http rule`);
      const bindings = [rule, ...rule.additionalBindings];
      for (const binding of bindings) {
        const { case: verb, value } = binding.pattern;
        if (verb === undefined || verb === 'custom')
          throw new InvalidRequestError(`${procedure}: custom http verbs are not supported`);
        const template = compilePathTemplate(value);
        routes.push({
          httpMethod: verb.toUpperCase() as TranscodedRoute['httpMethod'],
          route: template.route,
          procedure,
          registration,
          method,
          body: binding.body,
          variables: template.variables,
        });
      }
    }
  }
  return routes;
}

/**
 * withTranscodedAccess extends an RPC access table with one row per derived REST route, each
 * with its RPC's rule, so a service writes each rule once and both surfaces enforce it.
 */
export function withTranscodedAccess(table: AccessTable, services: readonly ServiceRegistration[]): AccessTable {
  const out: Record<string, AccessTable[string]> = { ...table };
  for (const r of transcodedRoutes(services)) {
    const rule = table[r.procedure];
    if (rule) out[`${r.httpMethod} ${r.route}`] = rule;
  }
  return out;
}

/**
 * registerTranscodedRoutes adds the REST surface of the given services to a fastify app built by
 * createHttpServer (whose access hook has already checked the caller when a handler runs). Each
 * route builds the request message, calls the same implementation the gRPC server calls, and
 * answers with the response message as JSON (proto field names, implicit values included), or
 * 204 when the response message has no fields.
 */
export function registerTranscodedRoutes(app: FastifyInstance, services: readonly ServiceRegistration[]): void {
  for (const r of transcodedRoutes(services)) {
    app.route({
      method: r.httpMethod,
      url: r.route,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const input = buildRequestJson(r, request);
        let message;
        try {
          message = fromJson(r.method.input, input, { ignoreUnknownFields: false });
        } catch (err) {
          throw new InvalidRequestError(`invalid request: ${(err as Error).message}`);
        }
        const impl = r.registration.impl[r.method.localName] as ((req: unknown, ctx: unknown) => unknown) | undefined;
        if (!impl) throw new ConnectError(`${r.procedure} is not implemented`, Code.Unimplemented);
        const values = createContextValues();
        values.set(callerKey, request.caller);
        values.set(peerAddressKey, request.socket.remoteAddress);
        const ctx = restHandlerContext(request, reply, { service: r.registration.service, method: r.method, values });
        try {
          let result: unknown;
          try {
            result = await impl.call(r.registration.impl, message, ctx);
          } finally {
            // on success and on error alike, so a refused call still carries e.g. its request id
            applyResponseHeaders(reply);
          }
          // Handlers return a MessageInitShape (a partial object or a message); create() normalises it.
          const output = create(r.method.output, result as never);
          // A response message with no fields (DeleteXResponse, ...) is a 204 with no body.
          if (r.method.output.fields.length === 0) return reply.code(204).send();
          return reply.send(toJson(r.method.output, output, { useProtoFieldName: true, alwaysEmitImplicit: true }));
        } catch (err) {
          if (err instanceof ConnectError) {
            return reply.code(httpStatusOfConnectError(err)).send({ error: err.rawMessage });
          }
          throw err;
        }
      },
    });
  }
}

function buildRequestJson(r: TranscodedRoute, request: FastifyRequest): JsonValue {
  const params = (request.params ?? {}) as Record<string, string>;
  const query = (request.query ?? {}) as Record<string, string | string[]>;
  let json: Record<string, JsonValue> = {};
  if (r.body === '*') {
    json = objectBody(request.body);
  } else if (r.body !== '') {
    if (request.body !== undefined) setPath(json, r.body, request.body as JsonValue);
  }
  if (r.body !== '*') {
    for (const [key, raw] of Object.entries(query)) {
      setPath(json, key, coerceParam(r.method.input, key, raw));
    }
  }
  for (const v of r.variables) {
    const raw = params[v.param];
    if (raw !== undefined) setPath(json, v.fieldPath, coerceParam(r.method.input, v.fieldPath, raw));
  }
  return json;
}

function objectBody(body: unknown): Record<string, JsonValue> {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new InvalidRequestError('request body must be a JSON object');
  return { ...(body as Record<string, JsonValue>) };
}

function setPath(target: Record<string, JsonValue>, path: string, value: JsonValue): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, JsonValue>;
  }
  node[parts[parts.length - 1] ?? path] = value;
}
