import type { ServiceCertRequest } from '../pki/service-cert.js';
import type { PortMap } from '../ports.js';

/**
 * ServiceContext is everything a service definition needs to write a service's config and
 * command line: its files, its ports, its peers' ports and the platform's shared paths. All
 * paths are absolute. It holds no secret, only the paths of files that do.
 */
export interface ServiceContext {
  readonly name: string;
  readonly domain: string;
  /** `<name>.svc.mcp.<domain>`, the leaf certificate's common name */
  readonly hostname: string;
  readonly platformDir: string;
  /** DIR/<name>: the service's one data directory (config, database, certs, backups) */
  readonly dataDir: string;
  /** DIR/<name>/<name>.toml */
  readonly configPath: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly caCertPath: string;
  readonly logPath: string;
  readonly secretsDir: string;
  /** the resolved JavaScript entry of the service's CLI (what `node <entry>` runs) */
  readonly entry: string;
  readonly ports: PortMap;
  /** the ports of every service that is built, by name, for wiring services to each other */
  readonly peers: Readonly<Record<string, PortMap>>;
  readonly admin: { readonly username: string; readonly passwordFile: string };
  /**
   * the system-account token file of every service in the registry, built or not, by name
   * (DIR/secrets/<name>.token): the identity service's afterStart keeps them filled, and a
   * service finds its own under `ctx.name`
   */
  readonly systemTokenFiles: Readonly<Record<string, string>>;
}

/** ServiceCommand is the process to run: `node <bin> ...args`, with extra environment. */
export interface ServiceCommand {
  readonly bin: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** ServiceEndpoints are the addresses (and bare port numbers) platform.json publishes for a service, by name. */
export type ServiceEndpoints = Readonly<Record<string, string | number | readonly string[]>>;

/**
 * ServiceDefinition tells `mc` how to run one service: where its code is, which loopback ports
 * it needs, what config to write, how to start it, how to tell it is healthy, what to do once
 * it is (e.g. MCIAS creates the admin account) and what endpoints to publish. Definitions are
 * plain values listed in one array in bootstrap order; a service is "built" when its package
 * and its compiled bin can be found. Per run, for a built service: prepare -> writeConfig ->
 * command (spawned) -> healthUrl (polled) -> afterStart (once, during bootstrap). A service
 * started after one with `issueServiceCert` gets its leaf from that one instead of the seed CA.
 */
export interface ServiceDefinition {
  /** lowercase name: the data directory, log file and platform.json key */
  readonly name: string;
  /** display name, e.g. "MCIAS" */
  readonly title: string;
  /** the npm package that provides the service, e.g. "@metacircular/mcias" */
  readonly package: string;
  /** the key in that package's "bin" field whose file is the service's CLI */
  readonly bin: string;
  /** an explicit JavaScript entry instead of the package's bin (test fixtures) */
  readonly entry?: string;
  /**
   * true for the identity service: its afterStart gives every other service in the registry a
   * system account and keeps its token in `ctx.systemTokenFiles`, which platform.json then lists
   * as `system_tokens`
   */
  readonly issuesSystemTokens?: boolean;
  /** named loopback listeners, e.g. ['rest', 'grpc', 'web'] */
  readonly ports: readonly string[];
  /** the subset of `ports` that must also be free for UDP (DNS) */
  readonly udpPorts?: readonly string[];
  /**
   * prepare creates, before every start, the files the service needs that are not config
   * (MCIAS: its master key file); it must keep whatever exists, since later runs depend on it
   */
  prepare?(ctx: ServiceContext): void;
  /** writeConfig returns the TOML text of DIR/<name>/<name>.toml */
  writeConfig(ctx: ServiceContext): string;
  /** healthUrl is polled until healthy: `https:` (validated against the platform CA), `http:` or `tcp:` */
  healthUrl(ports: PortMap): string;
  command(ctx: ServiceContext): ServiceCommand;
  /** afterStart runs once, after the first healthy check and before the next service starts */
  afterStart?(ctx: ServiceContext): Promise<void>;
  /**
   * issueServiceCert is set on the platform's CA service (Metacrypt): every service that starts
   * after it gets its TLS leaf from it, just before it starts, instead of from the seed CA.
   * `ctx` is the CA service's own context; a leaf that is still right is kept (issued: false).
   */
  issueServiceCert?(ctx: ServiceContext, request: ServiceCertRequest): Promise<{ issued: boolean }>;
  endpoints(ctx: ServiceContext): ServiceEndpoints;
}
