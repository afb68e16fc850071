import type { JsonClient, JsonResponse } from '@metacircular/mcdsl';
import type { z } from 'zod';
import { errorFromResponse, MciasAuthError, MciasServerError } from './mcias-errors.js';
import { decodeResponse } from './response-decoders.js';

/** CallSpec is one REST call: the route, the JSON body, and whether it carries the token. */
export interface CallSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  /** 'token' sends the held token as a bearer header (and fails without one); 'none' sends none */
  readonly auth: 'token' | 'none';
}

/**
 * MciasTransport is the plumbing under MciasClient: it holds the token in a private field
 * (which util.inspect does not show), attaches it to the calls that need it, turns non-2xx
 * answers into typed errors with every known secret cut out of the message, and checks 2xx
 * replies against their schema. MciasClient adds only the API's paths and shapes.
 */
export class MciasTransport {
  readonly #http: JsonClient;
  #token: string | undefined;

  constructor(http: JsonClient, token?: string) {
    this.#http = http;
    this.setToken(token);
  }

  /** token is the held token, if any (never log it). */
  get token(): string | undefined {
    return this.#token;
  }

  /** setToken replaces or (with undefined or '') forgets the held token. */
  setToken(token: string | undefined): void {
    this.#token = token === '' ? undefined : token;
  }

  /** request is one raw call, for the few operations that read non-2xx answers themselves. */
  request(method: string, path: string, options: { body?: unknown; token?: string } = {}): Promise<JsonResponse> {
    return this.#http.request(method, path, options);
  }

  /** fail is the typed error for a non-2xx answer; `extra` is one more secret to redact. */
  fail(operation: string, res: JsonResponse, extra?: string): Error {
    const secrets = [this.#token, extra].filter((s): s is string => typeof s === 'string' && s !== '');
    return errorFromResponse(operation, res.status, res.body, secrets);
  }

  /** send makes a call and returns a 2xx answer, or throws its typed error. */
  async send(operation: string, spec: CallSpec): Promise<JsonResponse> {
    let token: string | undefined;
    if (spec.auth === 'token') {
      token = this.#token;
      if (!token) throw new MciasAuthError(`${operation}: no token: log in first or give the client a token`);
    }
    const res = await this.#http.request(spec.method, spec.path, {
      ...(spec.body !== undefined ? { body: spec.body } : {}),
      ...(token ? { token } : {}),
    });
    if (res.status < 200 || res.status >= 300) throw this.fail(operation, res);
    return res;
  }

  /** decode makes a call and returns its reply checked against `schema`. */
  async decode<S extends z.ZodType>(operation: string, schema: S, spec: CallSpec): Promise<z.output<S>> {
    const res = await this.send(operation, spec);
    return decodeResponse(schema, res.body, operation, res.status);
  }

  /**
   * empty makes a call whose reply has no content: empty protobuf responses are a 204 with no
   * body; `{}` is accepted too, anything else is not.
   */
  async empty(operation: string, spec: CallSpec): Promise<void> {
    const res = await this.send(operation, spec);
    const body = res.body;
    const isEmpty = body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0);
    if (!isEmpty) throw new MciasServerError(`${operation}: unexpected reply from mcias: expected no content`, res.status);
  }

  /** close drops the keep-alive connections. */
  close(): void {
    this.#http.close();
  }
}
