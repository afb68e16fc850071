import { join } from 'node:path';
import type { ServiceDefinition } from '../service-definition.js';
import { databaseSection, generatedHeader, hostPort, httpsURL, logSection, serverCommand } from '../standard-config.js';
import { tomlDocument } from '../toml-document.js';

/**
 * mcProxy is the node's ingress: one TLS listener for L7 routes, one for L4 passthrough, an
 * admin gRPC API on a Unix socket in its data directory and a loopback metrics listener. It
 * has no REST health endpoint, so health is "the L7 listener accepts connections".
 */
export const mcProxy: ServiceDefinition = {
  name: 'mc-proxy',
  title: 'MC-Proxy',
  package: '@metacircular/mc-proxy',
  bin: 'mc-proxy',
  ports: ['https', 'passthrough', 'metrics'],
  writeConfig: (ctx) =>
    tomlDocument(
      {
        database: databaseSection(ctx),
        listeners: [{ addr: hostPort(ctx.ports['https']) }, { addr: hostPort(ctx.ports['passthrough']) }],
        grpc: { socket: join(ctx.dataDir, 'mc-proxy.sock') },
        metrics: { listen_addr: hostPort(ctx.ports['metrics']) },
        log: logSection(),
      },
      generatedHeader(ctx),
    ),
  healthUrl: (ports) => `tcp://${hostPort(ports['https'])}`,
  command: serverCommand,
  endpoints: (ctx) => ({
    https: httpsURL(ctx.ports['https']),
    passthrough: hostPort(ctx.ports['passthrough']),
    admin_socket: join(ctx.dataDir, 'mc-proxy.sock'),
    metrics: `http://${hostPort(ctx.ports['metrics'])}/metrics`,
  }),
};
