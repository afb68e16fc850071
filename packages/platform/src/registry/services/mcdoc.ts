import type { ServiceDefinition } from '../service-definition.js';
import { generatedHeader, hostPort, logSection, serverCommand } from '../standard-config.js';
import { tomlDocument } from '../toml-document.js';

/**
 * mcdoc serves rendered documentation over plain HTTP on loopback (TLS is mc-proxy's job in
 * front of it), last in bootstrap order because nothing depends on it.
 */
export const mcdoc: ServiceDefinition = {
  name: 'mcdoc',
  title: 'MCDoc',
  package: '@metacircular/mcdoc',
  bin: 'mcdoc',
  ports: ['http'],
  writeConfig: (ctx) =>
    tomlDocument({ server: { listen_addr: hostPort(ctx.ports['http']) }, log: logSection() }, generatedHeader(ctx)),
  healthUrl: (ports) => `http://${hostPort(ports['http'])}/health`,
  command: serverCommand,
  endpoints: (ctx) => ({ web: `http://${hostPort(ctx.ports['http'])}` }),
};
