import { readFileSync } from 'node:fs';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { writeFileAtomic } from '../atomic-write.js';
import { assertDomainName, defaultDomain, serviceHostname } from '../domain-name.js';
import { readPlatformFile } from '../platform-file.js';
import type { PlatformFile, PlatformServiceEntry } from '../platform-file.js';
import { ensurePrivateDir, servicePaths } from '../platform-layout.js';
import type { PlatformLayout } from '../platform-layout.js';
import type { RootCA } from '../pki/index.js';
import { allocatePorts } from '../ports.js';
import type { PortMap } from '../ports.js';
import { locateServiceEntry } from '../registry/locate-service.js';
import type { ServiceContext, ServiceDefinition } from '../registry/service-definition.js';
import { ensureAdminPassword } from '../secret-file.js';
import type { AdminCredentials } from '../secret-file.js';
import type { PlannedService, SupervisorPlan } from '../supervisor/platform-supervisor.js';

/** PreparedPlatform is a platform directory made ready to start, and the plan to start it. */
export interface PreparedPlatform {
  readonly layout: PlatformLayout;
  readonly domain: string;
  readonly ca: RootCA;
  readonly admin: AdminCredentials;
  /** the services that are built, in bootstrap order, with their contexts */
  readonly contexts: readonly ServiceContext[];
  readonly plan: SupervisorPlan;
}

// Keys platform.json sets itself; an endpoint may not reuse them.
const entryKeys = new Set(['state', 'pid', 'health', 'config', 'data_dir', 'log']);

/**
 * preparePlatform does everything `mc up` needs before any process starts, and only things
 * that are safe to repeat: the seed root CA (created once, then reused), the admin password
 * (same), loopback ports (kept when still free), and for each built service its data
 * directory, leaf certificate (kept while valid: from the seed CA for the services up to the
 * CA service, from the CA service itself right before each later one starts), its own files
 * (`prepare`, e.g. MCIAS's master key, kept once made) and generated config. The domain
 * defaults to the one the directory was last started with. The layout's folders must already
 * exist.
 */
export async function preparePlatform(opts: {
  layout: PlatformLayout;
  registry: readonly ServiceDefinition[];
  domain?: string;
}): Promise<PreparedPlatform> {
  const { layout, registry } = opts;
  const previous = readPlatformFile(layout.platformFile);
  const domain = assertDomainName(opts.domain ?? previous?.domain ?? defaultDomain);
  // Loaded here, not at the top: @peculiar/x509 takes a noticeable part of a second to load,
  // which `mc status` and `mc down` (that never issue certificates) should not pay.
  const { ensureRootCA, ensureServiceCert, serviceSubjectAltNames } = await import('../pki/index.js');
  const ca = await ensureRootCA({ certPath: layout.caCert, keyPath: layout.caKey });
  const admin = ensureAdminPassword(layout);

  const built = registry.flatMap((definition) => {
    const entry = locateServiceEntry(definition);
    return entry === undefined ? [] : [{ definition, entry }];
  });
  const ports = await allocatePorts(
    layout.portsFile,
    built.map(({ definition }) => ({ service: definition.name, names: definition.ports, udp: definition.udpPorts ?? [] })),
  );

  // Every service in the registry, built or not, gets a token file path: MCIAS provisions the
  // accounts of services that are not built yet too, so their tokens are ready once they are.
  const systemTokenFiles = Object.fromEntries(
    registry.map((definition) => [definition.name, servicePaths(layout, definition.name).systemTokenFile]),
  );
  const contexts: ServiceContext[] = [];
  const planned: PlannedService[] = [];
  const entries: Record<string, PlatformServiceEntry> = {};
  // The CA service (Metacrypt) once it is in the plan: the services after it get their leaf
  // from it right before they start, so the seed CA signs only the ones up to it.
  let certIssuer: { issue: NonNullable<ServiceDefinition['issueServiceCert']>; ctx: ServiceContext } | undefined;
  for (const definition of registry) {
    const found = built.find((b) => b.definition === definition);
    if (found === undefined) {
      entries[definition.name] = { state: 'not_built', pid: null };
      continue;
    }
    const ctx = serviceContext(layout, domain, admin, definition.name, found.entry, ports, systemTokenFiles);
    ensurePrivateDir(ctx.dataDir);
    ensurePrivateDir(servicePaths(layout, definition.name).certsDir);
    const leaf = {
      hostname: ctx.hostname,
      subjectAltNames: serviceSubjectAltNames(ctx.hostname),
      certPath: ctx.certPath,
      keyPath: ctx.keyPath,
    };
    const issuer = certIssuer;
    if (issuer === undefined) await ensureServiceCert(ca, leaf);
    definition.prepare?.(ctx);
    // 0600: a config may come to hold secrets (tokens, webhook keys) as services grow.
    writeFileAtomic(ctx.configPath, definition.writeConfig(ctx), 0o600);
    const healthUrl = definition.healthUrl(ctx.ports);
    const endpoints = definition.endpoints(ctx);
    for (const key of Object.keys(endpoints)) {
      if (entryKeys.has(key)) {
        throw new InvalidRequestError(
          `service '${definition.name}' publishes an endpoint named '${key}', which platform.json reserves; rename it`,
        );
      }
    }
    entries[definition.name] = {
      state: 'stopped',
      pid: null,
      health: healthUrl,
      ...endpoints,
      config: ctx.configPath,
      data_dir: ctx.dataDir,
      log: ctx.logPath,
    };
    contexts.push(ctx);
    const afterStart = definition.afterStart?.bind(definition);
    const beforeStart = issuer === undefined ? undefined : async (): Promise<void> => void (await issuer.issue(issuer.ctx, leaf));
    planned.push({
      name: definition.name,
      command: definition.command(ctx),
      cwd: ctx.dataDir,
      logPath: ctx.logPath,
      healthUrl,
      caPem: ca.certPem,
      env: { MC_PLATFORM_DIR: layout.dir, MC_SERVICE: definition.name },
      ...(beforeStart === undefined ? {} : { beforeStart }),
      ...(afterStart === undefined ? {} : { afterStart: () => afterStart(ctx) }),
    });
    if (definition.issueServiceCert !== undefined) {
      certIssuer = { issue: definition.issueServiceCert.bind(definition), ctx };
    }
  }

  // Published only when the service that fills the token files is built (and so will run).
  const issuer = built.find(({ definition }) => definition.issuesSystemTokens === true)?.definition;
  const systemTokens =
    issuer === undefined
      ? undefined
      : Object.fromEntries(Object.entries(systemTokenFiles).filter(([name]) => name !== issuer.name));
  const file: PlatformFile = {
    version: 1,
    dir: layout.dir,
    domain,
    ca_cert: layout.caCert,
    admin: { username: admin.username, password_file: admin.passwordFile },
    ...(systemTokens === undefined ? {} : { system_tokens: systemTokens }),
    services: entries,
  };
  return { layout, domain, ca, admin, contexts, plan: { layout, file, services: planned } };
}

function serviceContext(
  layout: PlatformLayout,
  domain: string,
  admin: AdminCredentials,
  name: string,
  entry: string,
  ports: Readonly<Record<string, PortMap>>,
  systemTokenFiles: Readonly<Record<string, string>>,
): ServiceContext {
  const paths = servicePaths(layout, name);
  return {
    name,
    domain,
    hostname: serviceHostname(name, domain),
    platformDir: layout.dir,
    dataDir: paths.dataDir,
    configPath: paths.configPath,
    certPath: paths.certPath,
    keyPath: paths.keyPath,
    caCertPath: layout.caCert,
    logPath: paths.logPath,
    secretsDir: layout.secretsDir,
    entry,
    ports: ports[name] ?? {},
    peers: ports,
    admin,
    systemTokenFiles,
  };
}

/** readCAPem reads the platform's root certificate for clients (health checks, status). */
export function readCAPem(file: PlatformFile): string {
  return readFileSync(file.ca_cert, 'utf8');
}
