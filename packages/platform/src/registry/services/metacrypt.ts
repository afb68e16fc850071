import { randomBytes } from 'node:crypto';
import { loopback } from '../../ports.js';
import { createSecretFileOnce } from '../../secret-file.js';
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
import { bootstrapMetacrypt, metacryptPasswordFile, pkiMount, sshMount, transitMount } from './metacrypt-bootstrap.js';

/**
 * acmeHttp01Port names the loopback port ACME's HTTP-01 validation connects to (TCP only): an
 * ACME client on this machine (certbot --standalone, lego) answers the challenge there. Port
 * names are identifiers, so it is `acme_http01`.
 */
export const acmeHttp01Port = 'acme_http01';

/**
 * metacrypt is the sealed barrier and CA, after MCIAS (and its login tester MCAT) in bootstrap
 * order: it needs MCIAS for logins, and every later service gets its TLS leaf from it. Its
 * unseal password is made once (32 random bytes, base64url, DIR/secrets/metacrypt.password);
 * afterStart inits or unseals it and sets up the platform's mounts and policy
 * (metacrypt-bootstrap.ts); issueServiceCert issues the later services' leaves
 * (metacrypt-service-certs.ts). ACME validates HTTP-01 on a loopback port of its own and, when
 * MCNS is built, resolves DNS-01 through MCNS.
 */
export const metacrypt: ServiceDefinition = {
  name: 'metacrypt',
  title: 'Metacrypt',
  package: '@metacircular/metacrypt',
  bin: 'metacrypt',
  ports: ['rest', 'grpc', 'web', acmeHttp01Port],
  prepare: (ctx) => {
    createSecretFileOnce(metacryptPasswordFile(ctx), randomBytes(32).toString('base64url') + '\n');
  },
  writeConfig: (ctx) => {
    const mcns = ctx.peers['mcns'];
    return tomlDocument(
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
        // a crash restart by the supervisor comes back unsealed (afterStart runs only at bootstrap)
        seal: { unseal_password_file: metacryptPasswordFile(ctx) },
        acme: {
          enabled: true,
          external_url: httpsURL(ctx.ports['rest']),
          dns_resolver: mcns?.['dns'] === undefined ? undefined : hostPort(mcns['dns']),
          http01_port: http01Port(ctx),
          http01_address: loopback,
        },
        log: logSection(),
      },
      generatedHeader(ctx),
    );
  },
  healthUrl: (ports) => httpsURL(ports['rest'], '/v1/health'),
  command: serverCommand,
  afterStart: bootstrapMetacrypt,
  // Loaded when first needed: the certificate checks pull in @peculiar/x509, which `mc status`
  // and `mc down` (that load the registry too) should not pay for.
  issueServiceCert: async (ctx, request) =>
    (await import('./metacrypt-service-certs.js')).issueMetacryptServiceCert(ctx, request),
  endpoints: (ctx) => ({
    rest: httpsURL(ctx.ports['rest']),
    grpc: hostPort(ctx.ports['grpc']),
    web: httpsURL(ctx.ports['web']),
    acme_directory: httpsURL(ctx.ports['rest'], `/acme/${pkiMount}/directory`),
    acme_http01_port: http01Port(ctx),
    pki_mount: pkiMount,
    ssh_mount: sshMount,
    transit_mount: transitMount,
  }),
};

function http01Port(ctx: ServiceContext): number {
  const port = ctx.ports[acmeHttp01Port];
  if (port === undefined) throw new Error(`metacrypt has no ${acmeHttp01Port} port; it is declared in its definition`);
  return port;
}
