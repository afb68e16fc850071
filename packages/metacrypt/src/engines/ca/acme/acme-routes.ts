import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EngineHost } from '../../../engine/index.js';
import { acmeSettingsOf } from '../../../host/index.js';
import type { CaEngine } from '../ca-types.js';
import { acmePaths } from './acme-access.js';
import type { AcmeCall, AcmeReply } from './acme-call.js';
import { acmeConfig, type AcmeConfig, type AcmeSettings } from './acme-config.js';
import { directoryObject } from './acme-objects.js';
import { AcmeProblem, toAcmeProblem } from './acme-problem.js';
import { AcmeStore } from './acme-store.js';
import { AcmeUrls } from './acme-urls.js';
import { accountOrders, updateAccount } from './account.js';
import { getCert, revokeCert } from './certificate.js';
import { ChallengeRunner, respondChallenge } from './challenge.js';
import { finalizeOrder } from './finalize-order.js';
import { keyChange } from './key-change.js';
import { newAccount } from './new-account.js';
import { newOrder } from './new-order.js';
import { NonceStore } from './nonce-store.js';
import { getAuthz, getOrder } from './order.js';
import { verifySignedRequest, type KeyMode } from './signed-request.js';

/** AcmeRouteOptions tune the server for tests; production uses the defaults. */
export interface AcmeRouteOptions {
  readonly validationTimeoutMs?: number;
  readonly nonces?: NonceStore;
}

/** acmeBodyLimit bounds an ACME request body: the largest legitimate one (finalize with an RSA CSR) is a few KiB. */
export const acmeBodyLimit = 64 * 1024;

const acmePrefix = '/acme';
const mountPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * registerAcmeRoutes serves the RFC 8555 server of every CA mount under /acme/{mount}/ (spec
 * §6.2), configured by `settings` or else the host's `[acme]` section. The routes live in their own fastify scope, which
 *   - parses only application/jose+json bodies (anything else is a 415 `malformed` problem),
 *   - answers every error, including the core's sealed check and unknown paths, as
 *     application/problem+json,
 *   - adds a fresh Replay-Nonce and the directory `index` Link to every response.
 * A POST flows: mount -> verifySignedRequest (nonce, url, key, signature) -> the operation's
 * handler -> reply. A challenge POST waits a bounded time for its validation, which otherwise
 * goes on in the background; closing the app waits for it.
 */
export async function registerAcmeRoutes(
  app: FastifyInstance,
  host: EngineHost,
  settings?: AcmeSettings,
  options: AcmeRouteOptions = {},
): Promise<void> {
  const config = acmeConfig(
    settings ?? acmeSettingsOf(host) ?? {},
    options.validationTimeoutMs ? { validationTimeoutMs: options.validationTimeoutMs } : {},
  );
  const nonces = options.nonces ?? new NonceStore();
  const runner = new ChallengeRunner(host, config);

  // The scope has the /acme prefix so it can have its own not-found handler (fastify allows one per prefix).
  const local = (path: string): string => path.slice(acmePrefix.length);
  await app.register(
    (scope, _opts, done) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('application/jose+json', { parseAs: 'string', bodyLimit: acmeBodyLimit }, (_req, body, done) => {
        try {
          done(null, JSON.parse(body as string));
        } catch {
          done(new AcmeProblem('malformed', 'request body is not json'), undefined);
        }
      });
      scope.setErrorHandler((err, request, reply) => {
        const { problem, internal } = toAcmeProblem(err);
        if (internal) request.log.error({ err }, 'acme request failed');
        if (problem.location) void reply.header('location', problem.location);
        return reply.code(problem.status).type('application/problem+json').send(JSON.stringify(problem.document()));
      });
      scope.setNotFoundHandler((_request, reply) =>
        reply
          .code(404)
          .type('application/problem+json')
          .send(JSON.stringify(new AcmeProblem('malformed', 'no such acme resource', 404).document())),
      );
      scope.addHook('onSend', async (request, reply) => {
        void reply.header('replay-nonce', nonces.issue());
        const mount = (request.params as { mount?: string } | undefined)?.mount;
        if (mount !== undefined && mountPattern.test(mount))
          addLink(reply, `${origin(config, request)}/acme/${mount}/directory`, 'index');
      });
      scope.addHook('onClose', async () => runner.drain());

      scope.get(local(acmePaths.directory), async (request, reply) => {
        const { urls } = open(host, config, request);
        return reply.type('application/json').send(JSON.stringify(directoryObject(urls)));
      });
      // RFC 8555 §7.2: HEAD answers 200, GET 204, neither cached.
      scope.head(local(acmePaths.newNonce), async (request, reply) => {
        open(host, config, request);
        return reply.code(200).header('cache-control', 'no-store').send();
      });
      scope.get(local(acmePaths.newNonce), { exposeHeadRoute: false }, async (request, reply) => {
        open(host, config, request);
        return reply.code(204).header('cache-control', 'no-store').send();
      });

      const post = (path: string, mode: KeyMode, handler: (call: AcmeCall) => AcmeReply | Promise<AcmeReply>): void => {
        scope.post(local(path), { bodyLimit: acmeBodyLimit }, async (request, reply) => {
          const target = open(host, config, request);
          const signed = await verifySignedRequest(
            { contentType: request.headers['content-type'], body: request.body, url: `${origin(config, request)}${request.url}` },
            target.store,
            target.urls,
            nonces,
            mode,
          );
          const id = (request.params as { id?: string }).id ?? '';
          const result = await handler({ ...target, host, config, now: host.now(), request: signed, id });
          return send(reply, result);
        });
      };
      post(acmePaths.newAccount, 'jwk', newAccount);
      post(acmePaths.account, 'kid', updateAccount);
      post(acmePaths.accountOrders, 'kid', accountOrders);
      post(acmePaths.newOrder, 'kid', newOrder);
      post(acmePaths.order, 'kid', getOrder);
      post(acmePaths.finalize, 'kid', finalizeOrder);
      post(acmePaths.authz, 'kid', getAuthz);
      post(acmePaths.challenge, 'kid', (call) => respondChallenge(call, runner));
      post(acmePaths.cert, 'kid', getCert);
      post(acmePaths.revokeCert, 'either', revokeCert);
      post(acmePaths.keyChange, 'kid', keyChange);
      done();
    },
    { prefix: acmePrefix },
  );
}

/** origin is the scheme+host part of every ACME URL: acme.external_url, or what the client connected to. */
function origin(config: AcmeConfig, request: FastifyRequest): string {
  return config.externalUrl !== '' ? config.externalUrl : `https://${request.host}`;
}

/** open resolves the request's mount to its live CA engine and ACME storage (404 / 503 problems otherwise). */
function open(host: EngineHost, config: AcmeConfig, request: FastifyRequest) {
  if (!config.enabled) throw new AcmeProblem('malformed', 'the acme server is disabled ([acme] enabled = false)', 404);
  const mount = (request.params as { mount: string }).mount;
  if (!mountPattern.test(mount)) throw new AcmeProblem('malformed', `no ca mount named "${mount}"`, 404);
  let engine: CaEngine;
  try {
    engine = host.resolve<CaEngine>(mount, 'ca');
  } catch (err) {
    const { problem } = toAcmeProblem(err);
    if (problem.status === 503) throw err;
    throw new AcmeProblem('malformed', `no ca mount named "${mount}"`, 404);
  }
  return { mount, engine, store: new AcmeStore(engine.acmeStorage), urls: new AcmeUrls(origin(config, request), mount) };
}

function addLink(reply: FastifyReply, url: string, rel: string): void {
  const existing = reply.getHeader('link');
  const links = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  void reply.header('link', [...links, `<${url}>;rel="${rel}"`]);
}

function send(reply: FastifyReply, result: AcmeReply): FastifyReply {
  if (result.location !== undefined) void reply.header('location', result.location);
  if (result.retryAfterSeconds !== undefined) void reply.header('retry-after', String(result.retryAfterSeconds));
  for (const link of result.links ?? []) addLink(reply, link.url, link.rel);
  void reply.code(result.status);
  if (result.body === undefined) return reply.send();
  if (typeof result.body === 'string') return reply.type(result.contentType ?? 'text/plain').send(result.body);
  return reply.type('application/json').send(JSON.stringify(result.body));
}
