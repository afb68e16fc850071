import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** defaultPlatformDir is where `mc` keeps a platform when no `--dir` is given. */
export const defaultPlatformDir = '.metacircular';

/**
 * PlatformLayout names every file and folder `mc` keeps under the platform directory. Secrets
 * (private keys, passwords) live only under `secrets/` or a service's `certs/`, both mode 0700
 * with files 0600; everything else is safe to read.
 */
export interface PlatformLayout {
  readonly dir: string;
  /** platform.json: the discovery document (endpoints, pids, CA path); never holds a secret */
  readonly platformFile: string;
  /** ports.json: the loopback ports given to each service, kept so re-runs reuse them */
  readonly portsFile: string;
  readonly pkiDir: string;
  /** pki/ca.pem: the seed root CA certificate every client of the platform trusts */
  readonly caCert: string;
  readonly secretsDir: string;
  /** secrets/ca.key: the seed root CA private key (PKCS#8 PEM, 0600) */
  readonly caKey: string;
  /** secrets/admin.password: the generated admin password (0600) */
  readonly adminPassword: string;
  readonly runDir: string;
  /** run/supervisor.pid: pid and start time of the process supervising the services */
  readonly supervisorPid: string;
  /** run/children.json: pid and start time of each supervised child, for `mc down` cleanup */
  readonly childrenFile: string;
  readonly logsDir: string;
  /** logs/supervisor.log: stdout and stderr of a detached supervisor */
  readonly supervisorLog: string;
}

/** ServicePaths are the files of one service under `DIR/<service>/` (its data directory). */
export interface ServicePaths {
  readonly dataDir: string;
  readonly configPath: string;
  readonly certsDir: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly logPath: string;
  /** DIR/secrets/<name>.token: the service's system-account token from MCIAS (0600) */
  readonly systemTokenFile: string;
}

/** reservedNames cannot be service names because the layout uses them as folders. */
export const reservedNames: ReadonlySet<string> = new Set(['pki', 'secrets', 'run', 'logs']);

/** platformLayout computes the layout of the platform in `dir` (resolved against the cwd). */
export function platformLayout(dir: string = defaultPlatformDir): PlatformLayout {
  const root = resolve(dir);
  const pkiDir = join(root, 'pki');
  const secretsDir = join(root, 'secrets');
  const runDir = join(root, 'run');
  const logsDir = join(root, 'logs');
  return {
    dir: root,
    platformFile: join(root, 'platform.json'),
    portsFile: join(root, 'ports.json'),
    pkiDir,
    caCert: join(pkiDir, 'ca.pem'),
    secretsDir,
    caKey: join(secretsDir, 'ca.key'),
    adminPassword: join(secretsDir, 'admin.password'),
    runDir,
    supervisorPid: join(runDir, 'supervisor.pid'),
    childrenFile: join(runDir, 'children.json'),
    logsDir,
    supervisorLog: join(logsDir, 'supervisor.log'),
  };
}

/** servicePaths computes where service `name` keeps its config, certificate and data. */
export function servicePaths(layout: PlatformLayout, name: string): ServicePaths {
  const dataDir = join(layout.dir, name);
  const certsDir = join(dataDir, 'certs');
  return {
    dataDir,
    configPath: join(dataDir, `${name}.toml`),
    certsDir,
    certPath: join(certsDir, 'cert.pem'),
    keyPath: join(certsDir, 'key.pem'),
    logPath: join(layout.logsDir, `${name}.log`),
    systemTokenFile: join(layout.secretsDir, `${name}.token`),
  };
}

/**
 * ensurePrivateDir creates `dir` if needed and sets it to 0700 even if it existed, so a
 * directory loosened by hand (or created under a lax umask) is tightened again on every run.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** ensureLayout creates the platform directory and its folders, all owner-only (0700). */
export function ensureLayout(layout: PlatformLayout): void {
  for (const dir of [layout.dir, layout.pkiDir, layout.secretsDir, layout.runDir, layout.logsDir]) {
    ensurePrivateDir(dir);
  }
}
