// @metacircular/mcns testing: a real MCNS (with a real MCIAS) for tests. Never imported by
// production code.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@metacircular/mcdsl';
import { createTestPKI, httpsRequest, type TestPKI, type TestResponse } from '@metacircular/mcdsl/testing';
import { startTestMcias, type TestMcias } from '@metacircular/mcias/testing';
import { loadMcnsConfig, type McnsConfigInput } from './config.js';
import type { DnsConfig } from './dns/dns-config.js';
import { startServer, type RunningMcns } from './main.js';

/** SeedZone and SeedRecord are `[[zones]]` and `[[records]]` entries as written in mcns.toml. */
export type SeedZone = NonNullable<McnsConfigInput['zones']>[number];
export type SeedRecord = NonNullable<McnsConfigInput['records']>[number];

/** TestMcnsOptions shape one test server; every field is optional. */
export interface TestMcnsOptions {
  /** seed zones; default `svc.mcp.metacircular.test` and `mcp.metacircular.test` */
  readonly zones?: readonly SeedZone[];
  /** seed records; default none */
  readonly records?: readonly SeedRecord[];
  /** `[dns]` settings over the test defaults (listen 127.0.0.1:0, no upstreams) */
  readonly dns?: Partial<DnsConfig>;
  /** the log level; default 'debug' (the log goes to <dir>/mcns.log) */
  readonly logLevel?: 'debug' | 'info' | 'warn';
}

/** TokenOptions describe the MCIAS account a test token belongs to. */
export interface TokenOptions {
  /** default 'human' */
  readonly accountType?: 'human' | 'system';
  /** default ['user'] for people, [] for system accounts */
  readonly roles?: readonly string[];
}

/** TestMcns is a running MCNS, its MCIAS, and the means to talk to both. */
export interface TestMcns {
  readonly server: RunningMcns;
  readonly dir: string;
  /** mcns.toml as written for this server (listen addresses use port 0) */
  readonly configPath: string;
  readonly restUrl: string;
  readonly grpcUrl: string;
  /** the first DNS listener (UDP and TCP) */
  readonly dns: { readonly host: string; readonly port: number };
  /** the test CA's PEM file, trusted for MCNS and MCIAS alike */
  readonly caPath: string;
  readonly caCert: string;
  readonly pki: TestPKI;
  readonly mcias: TestMcias;
  /** a token of the MCIAS admin (role admin) */
  readonly adminToken: string;
  /**
   * token returns a token of the named MCIAS account, creating the account on first use: people
   * log in with a password, system accounts get a service token issued by the admin.
   */
  token(username: string, opts?: TokenOptions): Promise<string>;
  /** request makes one HTTPS request to MCNS's REST surface (JSON bodies) */
  request(
    method: string,
    path: string,
    opts?: { token?: string; body?: object | string; headers?: Record<string, string> },
  ): Promise<TestResponse>;
  /** stop stops MCNS and MCIAS and removes every temp directory */
  stop(): Promise<void>;
}

/** defaultTestZones are the platform's two zones under a reserved test domain. */
export const defaultTestZones: readonly SeedZone[] = [
  { name: 'svc.mcp.metacircular.test', primary_ns: 'ns.mcp.metacircular.test', admin_email: 'hostmaster@metacircular.test' },
  { name: 'mcp.metacircular.test', primary_ns: 'ns.mcp.metacircular.test', admin_email: 'hostmaster@metacircular.test' },
];

/**
 * startTestMcns starts a real MCIAS and a real MCNS on 127.0.0.1 (REST, gRPC and DNS on
 * ephemeral ports), with real SQLite files in a temp directory, TLS from one throwaway CA, and
 * the seed zones and records of a config file written the way an operator would write it.
 */
export async function startTestMcns(opts: TestMcnsOptions = {}): Promise<TestMcns> {
  const pki = await createTestPKI();
  const dir = await mkdtemp(join(tmpdir(), 'mcns-test-'));
  let mcias: TestMcias | undefined;
  const release = async (): Promise<void> => {
    await mcias?.cleanup();
    await rm(dir, { recursive: true, force: true });
    await pki.cleanup();
  };
  try {
    mcias = await startTestMcias({ pki, logLevel: 'info' });
    return await launch(opts, dir, pki, mcias, release);
  } catch (err) {
    await release();
    throw err;
  }
}

async function launch(
  opts: TestMcnsOptions,
  dir: string,
  pki: TestPKI,
  mcias: TestMcias,
  release: () => Promise<void>,
): Promise<TestMcns> {
  const input: McnsConfigInput = {
    server: { listen_addr: '127.0.0.1:0', grpc_addr: '127.0.0.1:0', tls_cert: pki.certPath, tls_key: pki.keyPath },
    database: { path: join(dir, 'mcns.db') },
    dns: { listen_addr: '127.0.0.1:0', upstreams: [] },
    mcias: { server_url: mcias.restUrl, ca_cert: pki.caPath, service_name: 'mcns', tags: [] },
    log: { level: opts.logLevel ?? 'debug' },
    zones: [...(opts.zones ?? defaultTestZones)],
    records: [...(opts.records ?? [])],
  };
  const configPath = join(dir, 'mcns.toml');
  await writeFile(configPath, toToml(input), { mode: 0o600 });
  const loaded = loadMcnsConfig(configPath, {});
  const config = { ...loaded, dns: { ...loaded.dns, ...opts.dns } };
  const server = await startServer({
    config,
    env: {},
    logger: createLogger({ service: 'mcns', level: config.log.level, destination: join(dir, 'mcns.log') }),
  });

  const adminToken = await mcias.adminToken();
  const tokens = new Map<string, string>();
  const token: TestMcns['token'] = async (username, o = {}) => {
    const known = tokens.get(username);
    if (known !== undefined) return known;
    const accountType = o.accountType ?? 'human';
    const roles = [...(o.roles ?? (accountType === 'human' ? ['user'] : []))];
    let issued: string;
    if (accountType === 'system') {
      const id = await mcias.createAccount({ username, accountType, roles });
      const res = await mcias.request('POST', '/v1/token/issue', { token: adminToken, body: { account_id: id } });
      if (res.status !== 200) throw new Error(`issuing a token for ${username}: ${res.status} ${res.body}`);
      issued = res.json<{ token: string }>().token;
    } else {
      const password = `pw-${randomBytes(12).toString('base64url')}`;
      await mcias.createAccount({ username, accountType, password, roles });
      issued = await mcias.login(username, password);
    }
    tokens.set(username, issued);
    return issued;
  };
  const restUrl = server.rest.url;
  const first = server.dns[0];
  if (!first) throw new Error('mcns started without a dns listener');
  return {
    server,
    dir,
    configPath,
    restUrl,
    grpcUrl: server.grpc?.url ?? '',
    dns: { host: first.host, port: first.port },
    caPath: pki.caPath,
    caCert: pki.caCert,
    pki,
    mcias,
    adminToken,
    token,
    request: (method, path, o = {}) =>
      httpsRequest(`${restUrl}${path}`, {
        ca: pki.caCert,
        method,
        headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers },
        ...(o.body !== undefined ? { body: o.body } : {}),
      }),
    async stop() {
      await server.stop();
      await release();
    },
  };
}

// toToml writes the config the builder uses: tables of scalars and string arrays, and the seed
// lists as arrays of tables. TOML basic strings share JSON's escapes.
function toToml(input: McnsConfigInput): string {
  const lines: string[] = [];
  const table = (header: string, values: object): void => {
    lines.push(header);
    for (const [key, v] of Object.entries(values)) if (v !== undefined) lines.push(`${key} = ${JSON.stringify(v)}`);
    lines.push('');
  };
  for (const [section, value] of Object.entries(input)) {
    if (Array.isArray(value)) for (const item of value as object[]) table(`[[${section}]]`, item);
    else if (value !== undefined) table(`[${section}]`, value);
  }
  return lines.join('\n');
}
