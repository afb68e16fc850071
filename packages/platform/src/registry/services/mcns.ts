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
 * mcns is the platform's authoritative DNS. On one machine it listens on a high loopback port
 * (UDP and TCP, so both must be free), which needs no root; resolvers are pointed at it
 * explicitly (`dig -p`).
 */
export const mcns: ServiceDefinition = {
  name: 'mcns',
  title: 'MCNS',
  package: '@metacircular/mcns',
  bin: 'mcns',
  ports: ['dns', 'rest', 'grpc'],
  udpPorts: ['dns'],
  writeConfig: (ctx) =>
    tomlDocument(
      {
        server: serverSection(ctx),
        database: databaseSection(ctx),
        dns: { listen_addr: hostPort(ctx.ports['dns']), upstreams: [] },
        mcias: mciasSection(ctx),
        log: logSection(),
      },
      generatedHeader(ctx),
    ),
  healthUrl: (ports) => httpsURL(ports['rest'], '/v1/health'),
  command: serverCommand,
  endpoints: (ctx) => ({
    dns: hostPort(ctx.ports['dns']),
    zone: `svc.mcp.${ctx.domain}`,
    rest: httpsURL(ctx.ports['rest']),
    grpc: hostPort(ctx.ports['grpc']),
  }),
};
