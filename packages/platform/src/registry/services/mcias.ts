import type { ServiceDefinition } from '../service-definition.js';
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

/**
 * mcias is the identity service, first in bootstrap order because every other service
 * validates tokens against it. Its issue adds `afterStart`: creating the admin account from
 * `ctx.admin.passwordFile`.
 */
export const mcias: ServiceDefinition = {
  name: 'mcias',
  title: 'MCIAS',
  package: '@metacircular/mcias',
  bin: 'mcias',
  ports: ['rest', 'grpc'],
  writeConfig: (ctx) =>
    tomlDocument({ server: serverSection(ctx), database: databaseSection(ctx), log: logSection() }, generatedHeader(ctx)),
  healthUrl: (ports) => httpsURL(ports['rest'], '/v1/health'),
  command: serverCommand,
  endpoints: (ctx) => ({ rest: httpsURL(ctx.ports['rest']), grpc: hostPort(ctx.ports['grpc']) }),
};
