import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createSecretFileOnce } from '../../secret-file.js';
import type { ServiceContext, ServiceDefinition } from '../service-definition.js';
import {
  databaseSection,
  generatedHeader,
  hostPort,
  httpsURL,
  logSection,
  serverCommand,
  serverSection,
} from '../standard-config.js';
import { tomlDocument } from '../toml-document.js';
import { bootstrapMcias } from './mcias-bootstrap.js';

/**
 * mciasMasterKeyFile is where MCIAS's vault key lives: DIR/secrets/mcias-master.key, 64 hex
 * digits, 0600. It is made once and never replaced, because the vault (signing key, TOTP
 * secrets) only opens with the key it was created with.
 */
export function mciasMasterKeyFile(ctx: Pick<ServiceContext, 'secretsDir'>): string {
  return join(ctx.secretsDir, 'mcias-master.key');
}

/**
 * mcias is the identity service, first in bootstrap order because every other service
 * validates tokens against it. It unseals itself at start from a key file `mc` generates, so
 * a single-node platform needs no passphrase typed in. Once it is healthy, afterStart makes
 * sure the admin exists (`mcias init` from the admin password file) and that every other
 * service of the registry has a system account whose token sits in DIR/secrets/<name>.token.
 */
export const mcias: ServiceDefinition = {
  name: 'mcias',
  title: 'MCIAS',
  package: '@metacircular/mcias',
  bin: 'mcias',
  issuesSystemTokens: true,
  ports: ['rest', 'grpc'],
  prepare: (ctx) => {
    // MCIAS reads 32 raw bytes or 64 hex digits; hex survives being opened in an editor.
    createSecretFileOnce(mciasMasterKeyFile(ctx), randomBytes(32).toString('hex') + '\n');
  },
  writeConfig: (ctx) =>
    tomlDocument(
      {
        server: serverSection(ctx),
        database: databaseSection(ctx),
        // The issuer is the URL clients reach MCIAS at, so `iss` names where to validate.
        tokens: { issuer: httpsURL(ctx.ports['rest']) },
        master_key: { keyfile: mciasMasterKeyFile(ctx) },
        log: logSection(),
      },
      generatedHeader(ctx),
    ),
  healthUrl: (ports) => httpsURL(ports['rest'], '/v1/health'),
  command: serverCommand,
  afterStart: bootstrapMcias,
  endpoints: (ctx) => ({
    rest: httpsURL(ctx.ports['rest']),
    grpc: hostPort(ctx.ports['grpc']),
    jwks: httpsURL(ctx.ports['rest'], '/.well-known/jwks.json'),
    // The web UI is served by MCIAS on its REST listener.
    web: httpsURL(ctx.ports['rest'], '/'),
  }),
};
