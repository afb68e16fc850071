import { join } from 'node:path';
import type { ServiceDefinition } from '../service-definition.js';
import { generatedHeader, hostPort, httpsURL, logSection, mciasSection, serverSection } from '../standard-config.js';
import { tomlDocument } from '../toml-document.js';

/**
 * mcpAgent is the node agent of the control plane (gRPC only). It is wired to every earlier
 * service that is built: mc-proxy's admin socket, Metacrypt for certificates, MCNS for records.
 * gRPC has no plain HTTP health URL, so health is "the gRPC listener accepts connections".
 */
export const mcpAgent: ServiceDefinition = {
  name: 'mcp-agent',
  title: 'MCP agent',
  package: '@metacircular/mcp',
  bin: 'mcp-agent',
  ports: ['grpc'],
  writeConfig: (ctx) => {
    const metacrypt = ctx.peers['metacrypt'];
    const mcns = ctx.peers['mcns'];
    const proxyDir = join(ctx.platformDir, 'mc-proxy');
    return tomlDocument(
      {
        server: serverSection(ctx),
        // The spec names the agent's database mcp.db, not the standard <name>.db.
        database: { path: join(ctx.dataDir, 'mcp.db') },
        mcias: mciasSection(ctx),
        agent: { node_name: 'local', container_runtime: 'podman' },
        mcproxy: ctx.peers['mc-proxy'] && { socket: join(proxyDir, 'mc-proxy.sock'), cert_dir: join(proxyDir, 'certs') },
        metacrypt: metacrypt && { server_url: httpsURL(metacrypt['rest']), ca_cert: ctx.caCertPath },
        mcns: mcns && {
          server_url: httpsURL(mcns['rest']),
          ca_cert: ctx.caCertPath,
          zone: `svc.mcp.${ctx.domain}`,
          node_addr: '127.0.0.1',
        },
        log: logSection(),
      },
      generatedHeader(ctx),
    );
  },
  healthUrl: (ports) => `tcp://${hostPort(ports['grpc'])}`,
  command: (ctx) => ({ bin: ctx.entry, args: ['server', '--config', ctx.configPath] }),
  endpoints: (ctx) => ({ grpc: hostPort(ctx.ports['grpc']) }),
};
