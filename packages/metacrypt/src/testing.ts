// A real Metacrypt for tests (this package's and others'): real MCIAS, real TLS, real SQLite in
// a temp dir, real Argon2id (with tiny costs). Never imported by production code.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@metacircular/mcdsl';
import { createTestPKI, httpsRequest, type TestPKI, type TestResponse } from '@metacircular/mcdsl/testing';
import { startTestMcias, type TestMcias } from '@metacircular/mcias/testing';
import { parseMetacryptConfig, type MetacryptConfigInput } from './config.js';
import type { EngineModule, EngineType } from './engine/index.js';
import { startServer, type RunningMetacrypt } from './main.js';
import type { UnsealThrottleOptions } from './seal/index.js';

/** TestMetacryptOptions shape one test server; every field is optional. */
export interface TestMetacryptOptions {
  /** mounts created through the API (as the MCIAS admin) once the server is unsealed */
  readonly mounts?: ReadonlyArray<{ name: string; type: EngineType; config?: Record<string, unknown> }>;
  /** true leaves the server uninitialized (no init, no unseal, no mounts) */
  readonly sealed?: boolean;
  /** the server log's level; default 'debug' (tests read the log) */
  readonly logLevel?: 'debug' | 'info';
  /** config sections merged over the test defaults ([acme], [audit], [seal]) */
  readonly config?: Pick<Partial<MetacryptConfigInput>, 'acme' | 'audit' | 'seal'>;
  /** failed-unseal limits; default the production ones (1 s backoff doubling, 5 per minute) */
  readonly unsealThrottle?: UnsealThrottleOptions;
  /** the engine modules to serve; default all of engines/index.ts */
  readonly modules?: readonly EngineModule[];
}

/** TestMetacrypt is a running test server and the means to talk to it. */
export interface TestMetacrypt {
  /** the running server (a new one after restart()) */
  readonly server: RunningMetacrypt;
  readonly restUrl: string;
  readonly grpcUrl: string;
  /** PEM path and text of the CA both listeners' certificates (and MCIAS's) chain to */
  readonly caPath: string;
  readonly caCert: string;
  readonly pki: TestPKI;
  readonly mcias: TestMcias;
  /** a fresh token of the MCIAS admin (role admin) */
  readonly adminToken: string;
  /** the unseal password */
  readonly password: string;
  readonly dbPath: string;
  readonly dir: string;
  /** metacrypt.toml as written for this server (the CLI can use it) */
  readonly configPath: string;
  /** the server's log file (JSON lines) */
  readonly logPath: string;
  /** token creates the MCIAS account once (human by default) and returns a fresh token for it */
  token(username: string, opts?: { roles?: string[]; accountType?: 'human' | 'system' }): Promise<string>;
  /** request makes one HTTPS request to the REST surface (JSON bodies) */
  request(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<TestResponse>;
  /** restart stops the server and starts it again on the same database (and ports): it comes back sealed */
  restart(): Promise<void>;
  /** unseal posts /v1/unseal with the password (throws unless 200) */
  unseal(): Promise<void>;
  /** stop stops Metacrypt and MCIAS and removes every temp file */
  stop(): Promise<void>;
}

/**
 * startTestMetacrypt starts MCIAS (startTestMcias) and Metacrypt on 127.0.0.1 with ephemeral
 * REST and gRPC ports, one throwaway PKI for both, Argon2id at tiny costs, then (unless
 * sealed) inits, which leaves it unsealed, and creates `mounts` as the admin.
 */
export async function startTestMetacrypt(opts: TestMetacryptOptions = {}): Promise<TestMetacrypt> {
  const pki = await createTestPKI();
  let mcias: TestMcias | undefined;
  let dir: string | undefined;
  let server: RunningMetacrypt | undefined;
  const release = async () => {
    await server?.stop();
    await mcias?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
    await pki.cleanup();
  };
  try {
    mcias = await startTestMcias({ pki, logLevel: opts.logLevel ?? 'debug' });
    dir = await mkdtemp(join(tmpdir(), 'metacrypt-test-'));
    const password = randomBytes(18).toString('base64url');
    const dbPath = join(dir, 'metacrypt.db');
    const logPath = join(dir, 'metacrypt.log');
    const configPath = join(dir, 'metacrypt.toml');
    const input = (listen: string, grpc: string): MetacryptConfigInput => ({
      server: { listen_addr: listen, grpc_addr: grpc, tls_cert: pki.certPath, tls_key: pki.keyPath },
      database: { path: dbPath },
      mcias: { server_url: mcias!.restUrl, ca_cert: pki.caPath, service_name: 'metacrypt', tags: [] },
      log: { level: opts.logLevel ?? 'debug' },
      seal: { argon2_time: 1, argon2_memory_kib: 256, argon2_parallelism: 1, ...opts.config?.seal },
      acme: { ...opts.config?.acme },
      audit: { ...opts.config?.audit },
    });
    const logger = createLogger({ service: 'metacrypt', level: opts.logLevel ?? 'debug', destination: logPath });
    const launch = (listen: string, grpc: string) =>
      startServer({
        config: parseMetacryptConfig(input(listen, grpc)),
        env: {},
        logger,
        ...(opts.unsealThrottle ? { unsealThrottle: opts.unsealThrottle } : {}),
        ...(opts.modules ? { modules: opts.modules } : {}),
      });
    server = await launch('127.0.0.1:0', '127.0.0.1:0');
    await writeFile(configPath, toToml(input(`127.0.0.1:${server.rest.port}`, `127.0.0.1:${server.grpc!.port}`)), {
      mode: 0o600,
    });

    const accounts = new Map<string, { id: string; password: string; accountType: 'human' | 'system' }>();
    const current = () => server!;
    const request: TestMetacrypt['request'] = (method, path, o = {}) =>
      httpsRequest(`${current().rest.url}${path}`, {
        ca: pki.caCert,
        method,
        headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers },
        ...(o.body !== undefined ? { body: o.body as object } : {}),
      });
    const must = async (what: string, res: Promise<TestResponse>, want = 200): Promise<TestResponse> => {
      const r = await res;
      if (r.status !== want) throw new Error(`${what}: ${r.status} ${r.body}`);
      return r;
    };
    const adminToken = await mcias.adminToken();

    const handle: TestMetacrypt = {
      get server() {
        return current();
      },
      get restUrl() {
        return current().rest.url;
      },
      get grpcUrl() {
        return current().grpc?.url ?? '';
      },
      caPath: pki.caPath,
      caCert: pki.caCert,
      pki,
      mcias,
      adminToken,
      password,
      dbPath,
      dir,
      configPath,
      logPath,
      async token(username, o = {}) {
        const accountType = o.accountType ?? 'human';
        let account = accounts.get(username);
        if (!account) {
          const pw = accountType === 'human' ? randomBytes(15).toString('base64url') : '';
          const id = await mcias!.createAccount({ username, accountType, password: pw, roles: o.roles ?? [] });
          account = { id, password: pw, accountType };
          accounts.set(username, account);
        }
        if (account.accountType === 'human') return mcias!.login(username, account.password);
        const res = await must(
          `issue token for ${username}`,
          mcias!.request('POST', '/v1/token/issue', { token: await mcias!.adminToken(), body: { account_id: account.id } }),
        );
        return res.json<{ token: string }>().token;
      },
      request,
      async restart() {
        const { rest, grpc } = current();
        await current().stop();
        try {
          server = await launch(`127.0.0.1:${rest.port}`, `127.0.0.1:${grpc!.port}`);
        } catch {
          // the old ports were taken meanwhile; any free ones will do
          server = await launch('127.0.0.1:0', '127.0.0.1:0');
        }
      },
      async unseal() {
        await must('unseal', request('POST', '/v1/unseal', { body: { password } }));
      },
      stop: release,
    };

    if (!opts.sealed) {
      await must('init', request('POST', '/v1/init', { body: { password } }));
      for (const m of opts.mounts ?? []) {
        await must(
          `create mount ${m.name}`,
          request('POST', '/v1/mounts', { token: adminToken, body: { ...m, config: m.config ?? {} } }),
        );
      }
    }
    return handle;
  } catch (err) {
    await release();
    throw err;
  }
}

// toToml writes the two-level config the builder uses (tables of strings, numbers, booleans, string arrays).
function toToml(input: MetacryptConfigInput): string {
  const lines: string[] = [];
  for (const [section, value] of Object.entries(input)) {
    if (value === undefined) continue;
    lines.push(`[${section}]`);
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) lines.push(`${key} = ${JSON.stringify(v)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
