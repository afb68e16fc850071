import type { ServiceDefinition } from '../service-definition.js';
import {
  databaseSection,
  generatedHeader,
  hostPort,
  httpsURL,
  logSection,
  mciasSection,
  serverCommand,
  serverSection,
} from '../standard-config.js';
import { tomlDocument } from '../toml-document.js';

/**
 * metacrypt is the sealed barrier and CA, second in bootstrap order: it needs MCIAS for logins
 * and everything after it may ask it for certificates.
 */
export const metacrypt: ServiceDefinition = {
  name: 'metacrypt',
  title: 'Metacrypt',
  package: '@metacircular/metacrypt',
  bin: 'metacrypt',
  ports: ['rest', 'grpc', 'web'],
  writeConfig: (ctx) =>
    tomlDocument(
      {
        server: serverSection(ctx),
        web: {
          listen_addr: hostPort(ctx.ports['web']),
          vault_grpc: hostPort(ctx.ports['grpc']),
          vault_ca_cert: ctx.caCertPath,
          tls_cert: ctx.certPath,
          tls_key: ctx.keyPath,
        },
        database: databaseSection(ctx),
        mcias: mciasSection(ctx),
        log: logSection(),
      },
      generatedHeader(ctx),
    ),
  healthUrl: (ports) => httpsURL(ports['rest'], '/v1/health'),
  command: serverCommand,
  endpoints: (ctx) => ({
    rest: httpsURL(ctx.ports['rest']),
    grpc: hostPort(ctx.ports['grpc']),
    web: httpsURL(ctx.ports['web']),
  }),
};
