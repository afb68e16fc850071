import { InvalidRequestError, type AccessTable } from '@metacircular/mcdsl';
import type { FastifyInstance } from 'fastify';
import type { EngineHost } from '../../engine/index.js';
import type { SSHCAEngine } from './sshca-engine.js';

/** sshcaRoutes are the raw (non-JSON) routes of the sshca engine. */
export const sshcaRoutes = {
  ca: '/v1/sshca/:mount/ca',
  krl: '/v1/sshca/:mount/krl',
} as const;

/** sshcaHttpAccess: both downloads are public (hosts fetch them without a token) and need Metacrypt unsealed. */
export const sshcaHttpAccess: AccessTable = {
  [`GET ${sshcaRoutes.ca}`]: { level: 'public', unsealed: true },
  [`GET ${sshcaRoutes.krl}`]: { level: 'public', unsealed: true },
};

/**
 * registerSSHCAHttp adds the downloads hosts point sshd at:
 *   GET /v1/sshca/{mount}/ca[?type=user|host]  CA public keys, one authorized_keys line each
 *     (user CA first; one line when the mount shares its key), for TrustedUserCAKeys or
 *     `@cert-authority` in known_hosts
 *   GET /v1/sshca/{mount}/krl                   the binary OpenSSH KRL, for RevokedKeys
 */
export function registerSSHCAHttp(app: FastifyInstance, host: EngineHost): void {
  app.get<{ Params: { mount: string }; Querystring: { type?: string } }>(sshcaRoutes.ca, (request, reply) => {
    const { mount } = request.params;
    const type = request.query.type;
    if (type !== undefined && type !== 'user' && type !== 'host') {
      throw new InvalidRequestError('type: use "user" or "host", or leave it out for both');
    }
    const keys = host.resolve<SSHCAEngine>(mount, 'sshca').caPublicKeys();
    const lines =
      type === 'user' ? [keys.user] : type === 'host' ? [keys.host] : keys.shared ? [keys.user] : [keys.user, keys.host];
    host.audit({ caller: request.caller, action: 'sshca.get-ca', mount, result: 'allow' });
    return reply.type('text/plain; charset=utf-8').send(lines.join('\n') + '\n');
  });

  app.get<{ Params: { mount: string } }>(sshcaRoutes.krl, (request, reply) => {
    const { mount } = request.params;
    const snapshot = host.resolve<SSHCAEngine>(mount, 'sshca').krl();
    host.audit({
      caller: request.caller,
      action: 'sshca.get-krl',
      mount,
      result: 'allow',
      detail: { krl_version: Number(snapshot.version) },
    });
    return reply
      .type('application/octet-stream')
      .header('content-disposition', `attachment; filename="${mount}.krl"`)
      .send(snapshot.krl);
  });
}
