import { InvalidRequestError } from '@metacircular/mcdsl';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EngineHost } from '../../engine/index.js';
import type { CaMountEngine } from './ca-engine.js';
import { toPem } from './pem.js';

/**
 * The documented trust-distribution downloads (spec §6.1, §11.2), served raw because they answer
 * PEM or DER, not JSON. All are public (caHttpAccess) but refused while sealed; errors keep the
 * platform's {"error": "..."} shape.
 *   GET /v1/pki/{mount}/ca                  root certificate, PEM
 *   GET /v1/pki/{mount}/ca/chain            every issuer (or ?issuer=name) then the root, PEM
 *   GET /v1/pki/{mount}/issuer/{name}       one issuer's certificate, PEM
 *   GET /v1/pki/{mount}/crl                 the root's CRL (revoked issuers), DER or ?format=pem
 *   GET /v1/pki/{mount}/issuer/{name}/crl   an issuer's CRL, DER or ?format=pem
 */

const pemType = 'application/x-pem-file';
const crlType = 'application/pkix-crl';

interface MountParams {
  mount: string;
  name?: string;
}

/** registerCaHttp adds the download routes to the REST server. */
export function registerCaHttp(app: FastifyInstance, host: EngineHost): void {
  const engineOf = (mount: string): CaMountEngine => host.resolve<CaMountEngine>(mount, 'ca');

  app.get<{ Params: MountParams }>('/v1/pki/:mount/ca', async (request, reply) => {
    return sendPem(reply, engineOf(request.params.mount).root('not-found').record.certPem);
  });

  app.get<{ Params: MountParams; Querystring: { issuer?: string } }>('/v1/pki/:mount/ca/chain', async (request, reply) => {
    return sendPem(reply, engineOf(request.params.mount).chainPem(single(request.query.issuer, 'issuer')));
  });

  app.get<{ Params: MountParams }>('/v1/pki/:mount/issuer/:name', async (request, reply) => {
    return sendPem(reply, engineOf(request.params.mount).issuer(request.params.name ?? '').record.certPem);
  });

  app.get<{ Params: MountParams; Querystring: { format?: string } }>('/v1/pki/:mount/crl', async (request, reply) => {
    const engine = engineOf(request.params.mount);
    engine.root('not-found');
    return sendCrl(reply, engine.crl(undefined).der, request.query.format);
  });

  app.get<{ Params: MountParams; Querystring: { format?: string } }>(
    '/v1/pki/:mount/issuer/:name/crl',
    async (request, reply) => {
      return sendCrl(reply, engineOf(request.params.mount).crl(request.params.name ?? '').der, request.query.format);
    },
  );
}

function sendPem(reply: FastifyReply, pem: string): FastifyReply {
  return reply.header('content-type', pemType).send(pem);
}

function sendCrl(reply: FastifyReply, derB64: string, format: unknown): FastifyReply {
  const der = Buffer.from(derB64, 'base64');
  const f = single(format, 'format') ?? 'der';
  if (f === 'pem') return reply.header('content-type', pemType).send(toPem(der, 'X509 CRL'));
  if (f === 'der') return reply.header('content-type', crlType).send(der);
  throw new InvalidRequestError('format: use der (the default) or pem');
}

function single(value: unknown, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidRequestError(`${field}: give it once`);
  return value;
}
