import type { ServiceContext, ServiceDefinition } from '../service-definition.js';
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
import type { TomlTable } from '../toml-document.js';

/** loopbackAddress is where every platform service answers on one machine, so what its A record says. */
const loopbackAddress = '127.0.0.1';

/** mcnsZones are the platform's two zones (spec 2.1): service addresses, then node addresses. */
export function mcnsZones(domain: string): { readonly services: string; readonly nodes: string } {
  return { services: `svc.mcp.${domain}`, nodes: `mcp.${domain}` };
}

/**
 * mcnsSeed is the `[[zones]]` and `[[records]]` seed of a platform's MCNS: both zones with
 * `ns.mcp.<domain>` as their primary, an `ns` A record in the node zone, and in the service
 * zone one A record `<service>` per service this run starts (every built service has a port
 * map in `ctx.peers`, MCNS included), so `<service>.svc.mcp.<domain>`, the name on each
 * service's certificate, resolves to where it listens. MCNS inserts a seed row only when it is
 * missing, so records added through the API survive restarts; a service that stops being built
 * keeps its record until someone deletes it (`mcnsctl records delete`).
 */
export function mcnsSeed(ctx: Pick<ServiceContext, 'domain' | 'peers'>): { zones: TomlTable[]; records: TomlTable[] } {
  const zones = mcnsZones(ctx.domain);
  const soa = { primary_ns: `ns.${zones.nodes}`, admin_email: `hostmaster@${ctx.domain}` };
  return {
    zones: [
      { name: zones.services, ...soa },
      { name: zones.nodes, ...soa },
    ],
    records: [
      { zone: zones.nodes, name: 'ns', type: 'A', value: loopbackAddress },
      ...Object.keys(ctx.peers).map((service) => ({ zone: zones.services, name: service, type: 'A', value: loopbackAddress })),
    ],
  };
}

/**
 * mcns is the platform's authoritative DNS. On one machine it listens on a high loopback port
 * (UDP and TCP, so both must be free), which needs no root and forwards nothing; resolvers are
 * pointed at it explicitly (`dig @127.0.0.1 -p PORT`). platform.json publishes the DNS address,
 * the REST and gRPC endpoints and the zones it serves (comma-separated).
 */
export const mcns: ServiceDefinition = {
  name: 'mcns',
  title: 'MCNS',
  package: '@metacircular/mcns',
  bin: 'mcns',
  ports: ['dns', 'rest', 'grpc'],
  udpPorts: ['dns'],
  writeConfig: (ctx) => {
    const seed = mcnsSeed(ctx);
    return tomlDocument(
      {
        server: serverSection(ctx),
        database: databaseSection(ctx),
        dns: { listen_addr: hostPort(ctx.ports['dns']), upstreams: [] },
        mcias: mciasSection(ctx),
        log: logSection(),
        zones: seed.zones,
        records: seed.records,
      },
      generatedHeader(ctx),
    );
  },
  healthUrl: (ports) => httpsURL(ports['rest'], '/v1/health'),
  command: serverCommand,
  endpoints: (ctx) => {
    const zones = mcnsZones(ctx.domain);
    return {
      dns: hostPort(ctx.ports['dns']),
      rest: httpsURL(ctx.ports['rest']),
      grpc: hostPort(ctx.ports['grpc']),
      zones: [zones.services, zones.nodes],
    };
  },
};
