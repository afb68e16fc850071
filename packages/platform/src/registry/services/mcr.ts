import { join } from 'node:path';
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

/** mcr is the OCI registry: the distribution API and REST on `rest`, admin gRPC, a web UI. */
export const mcr: ServiceDefinition = {
  name: 'mcr',
  title: 'MCR',
  package: '@metacircular/mcr',
  bin: 'mcr',
  ports: ['rest', 'grpc', 'web'],
  writeConfig: (ctx) =>
    tomlDocument(
      {
        server: serverSection(ctx),
        web: {
          listen_addr: hostPort(ctx.ports['web']),
          vault_grpc: hostPort(ctx.ports['grpc']),
          vault_ca_cert: ctx.caCertPath,
        },
        database: databaseSection(ctx),
        mcias: mciasSection(ctx),
        storage: { layers_dir: join(ctx.dataDir, 'layers'), uploads_dir: join(ctx.dataDir, 'uploads') },
        log: logSection(),
      },
      generatedHeader(ctx),
    ),
  healthUrl: (ports) => httpsURL(ports['rest'], '/v1/health'),
  command: serverCommand,
  endpoints: (ctx) => ({
    rest: httpsURL(ctx.ports['rest']),
    oci: `${hostPort(ctx.ports['rest'])}`,
    grpc: hostPort(ctx.ports['grpc']),
    web: httpsURL(ctx.ports['web']),
  }),
};
