// @metacircular/mcias/testing: a real MCIAS for tests (this package's and other packages').
// Never imported by production code.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@metacircular/mcdsl';
import { createTestPKI, httpsRequest, type TestPKI, type TestResponse } from '@metacircular/mcdsl/testing';
import { systemActor } from './audit/index.js';
import type { RateLimits } from './build-core.js';
import type { Clock } from './clock.js';
import { defaultPassphraseEnv, parseMciasConfig, type MciasConfigInput } from './config.js';
import { startServer, type RunningMcias } from './main.js';

/** TestClock is a clock a test moves by hand. */
export interface TestClock {
  readonly now: Clock;
  advance(ms: number): void;
  set(ms: number): void;
}

/** createTestClock returns a frozen clock starting at `start` (default: the real time now). */
export function createTestClock(start = Date.now()): TestClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => void (t += ms),
    set: (ms) => void (t = ms),
  };
}

/** TestMciasOptions shape one test server; every field is optional. */
export interface TestMciasOptions {
  /** an existing data directory (to restart on the same database); default a new temp dir */
  readonly dir?: string;
  /** the PKI to serve with; default a new one (removed by cleanup) */
  readonly pki?: TestPKI;
  /** 'keyfile' (default, fast) or 'passphrase' (Argon2id at 128 MiB, ~0.5 s per unseal) */
  readonly masterKey?: 'keyfile' | 'passphrase';
  /** false starts without the key available: the server comes up sealed */
  readonly withKey?: boolean;
  readonly now?: Clock;
  /** generous by default so tests never trip them; pass real ones to test the limits */
  readonly rateLimits?: Partial<RateLimits>;
  /**
   * extra config sections merged over the defaults (tokens, lockout, argon2, webauthn); e.g.
   * `webauthn: { rp_id: 'localhost' }` turns passkeys on with the origin https://localhost:<REST port>
   */
  readonly config?: Pick<Partial<MciasConfigInput>, 'tokens' | 'lockout' | 'argon2' | 'webauthn'>;
  /** the server log's level; default 'debug' (tests read the log), benchmarks use 'info' */
  readonly logLevel?: 'debug' | 'info';
  /** the first admin; default "admin" with a random password; false creates none */
  readonly admin?: { readonly username: string; readonly password: string } | false;
}

/** TestMcias is a running test server and the means to talk to it. */
export interface TestMcias {
  readonly dir: string;
  readonly pki: TestPKI;
  readonly caCert: string;
  /** mcias.toml as written for this server (its listen addresses use port 0) */
  readonly configPath: string;
  readonly restUrl: string;
  readonly grpcUrl: string;
  readonly server: RunningMcias;
  /** the master passphrase ('passphrase' mode) */
  readonly passphrase: string;
  /** the env the server read the passphrase from */
  readonly env: NodeJS.ProcessEnv;
  readonly admin: { readonly username: string; readonly password: string; readonly id: string } | undefined;
  /** the server's log file (JSON lines) */
  readonly logPath: string;
  /** request makes one HTTPS request to the REST surface (JSON bodies) */
  request(
    method: string,
    path: string,
    opts?: { token?: string; body?: object; headers?: Record<string, string> },
  ): Promise<TestResponse>;
  /** login posts /v1/auth/login and returns the token (throws unless 200) */
  login(
    username: string,
    password: string,
    extra?: { totp_code?: string; service_name?: string; tags?: string[] },
  ): Promise<string>;
  /** adminToken logs the admin in */
  adminToken(): Promise<string>;
  /** createAccount adds an account directly (no HTTP) and returns its UUID */
  createAccount(a: {
    username: string;
    password?: string;
    accountType?: 'human' | 'system';
    roles?: string[];
    tags?: string[];
  }): Promise<string>;
  /** restart stops this server and starts another on the same directory and PKI */
  restart(opts?: Omit<TestMciasOptions, 'dir' | 'pki' | 'admin' | 'masterKey'>): Promise<TestMcias>;
  /** stop stops the server, keeping the directory */
  stop(): Promise<void>;
  /** cleanup stops the server and removes the directory (and the PKI it created) */
  cleanup(): Promise<void>;
}

const relaxedLimits: RateLimits = { login: { perSecond: 1000, burst: 1000 }, unseal: { perSecond: 1000, burst: 1000 } };

/**
 * startTestMcias starts a real MCIAS on 127.0.0.1 with ephemeral REST and gRPC ports, a real
 * SQLite database in a temp directory, TLS from a throwaway CA, the vault unsealed (unless
 * withKey is false) and a first admin.
 */
export async function startTestMcias(opts: TestMciasOptions = {}): Promise<TestMcias> {
  const pki = opts.pki ?? (await createTestPKI());
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'mcias-test-')));
  const release = async () => {
    if (opts.dir === undefined) await rm(dir, { recursive: true, force: true });
    if (opts.pki === undefined) await pki.cleanup();
  };
  try {
    return await launch(opts, dir, pki, release);
  } catch (err) {
    await release();
    throw err;
  }
}

async function launch(opts: TestMciasOptions, dir: string, pki: TestPKI, release: () => Promise<void>): Promise<TestMcias> {
  const mode = opts.masterKey ?? 'keyfile';
  const keyfile = join(dir, 'master.key');
  const passphraseFile = join(dir, 'test-passphrase');
  let passphrase = '';
  if (mode === 'keyfile') {
    if (!existsSync(keyfile)) await writeFile(keyfile, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  } else if (existsSync(passphraseFile)) {
    passphrase = await readFile(passphraseFile, 'utf8');
  } else {
    passphrase = randomBytes(18).toString('base64url');
    await writeFile(passphraseFile, passphrase, { mode: 0o600 });
  }
  const input: MciasConfigInput = {
    server: { listen_addr: '127.0.0.1:0', grpc_addr: '127.0.0.1:0', tls_cert: pki.certPath, tls_key: pki.keyPath },
    database: { path: join(dir, 'mcias.db') },
    tokens: { issuer: 'https://mcias.test', ...opts.config?.tokens },
    ...(opts.config?.argon2 ? { argon2: opts.config.argon2 } : {}),
    ...(opts.config?.lockout ? { lockout: opts.config.lockout } : {}),
    ...(opts.config?.webauthn ? { webauthn: opts.config.webauthn } : {}),
    master_key: mode === 'keyfile' ? { keyfile } : { passphrase_env: defaultPassphraseEnv },
  };
  const configPath = join(dir, 'mcias.toml');
  await writeFile(configPath, toToml(input), { mode: 0o600 });
  const withKey = opts.withKey ?? true;
  const env: NodeJS.ProcessEnv = mode === 'passphrase' && withKey ? { [defaultPassphraseEnv]: passphrase } : {};
  const config = parseMciasConfig(
    mode === 'keyfile' && !withKey ? { ...input, master_key: { keyfile: join(dir, 'absent.key') } } : input,
  );
  const logPath = join(dir, 'mcias.log');
  const server = await startServer({
    config,
    env,
    logger: createLogger({ service: 'mcias', level: opts.logLevel ?? 'debug', destination: logPath }),
    ...(opts.now ? { now: opts.now } : {}),
    rateLimits: { ...relaxedLimits, ...opts.rateLimits },
  });

  let admin: TestMcias['admin'];
  if (opts.admin !== false) {
    const username = opts.admin?.username ?? 'admin';
    const existing = server.core.stores.accounts.byUsername(username);
    const password = opts.admin?.password ?? randomBytes(12).toString('base64url');
    const id = existing
      ? existing.uuid
      : (await server.core.accounts.create({ username, accountType: 'human', password, roles: ['admin'], tags: [] }, systemActor))
          .record.uuid;
    admin = { username, password, id };
  }

  const restUrl = server.rest.url;
  const request: TestMcias['request'] = (method, path, o = {}) =>
    httpsRequest(`${restUrl}${path}`, {
      ca: pki.caCert,
      method,
      headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers },
      ...(o.body ? { body: o.body } : {}),
    });
  const login: TestMcias['login'] = async (username, password, extra = {}) => {
    const res = await request('POST', '/v1/auth/login', { body: { username, password, ...extra } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.body}`);
    return res.json<{ token: string }>().token;
  };
  const stop = () => server.stop();
  const handle: TestMcias = {
    dir,
    pki,
    caCert: pki.caCert,
    configPath,
    restUrl,
    grpcUrl: server.grpc?.url ?? '',
    server,
    passphrase,
    env,
    admin,
    logPath,
    request,
    login,
    adminToken: () => {
      if (!admin) throw new Error('this test server has no admin');
      return login(admin.username, admin.password);
    },
    async createAccount(a) {
      const view = await server.core.accounts.create(
        {
          username: a.username,
          accountType: a.accountType ?? 'human',
          password: a.password ?? '',
          roles: a.roles ?? [],
          tags: a.tags ?? [],
        },
        systemActor,
      );
      return view.record.uuid;
    },
    async restart(more = {}) {
      await stop();
      // The same directory and PKI, still released by the first handle's owner rules.
      const again = admin ? { username: admin.username, password: admin.password } : false;
      return launch({ ...opts, ...more, dir, pki, masterKey: mode, admin: again }, dir, pki, release);
    },
    stop,
    async cleanup() {
      await stop();
      await release();
    },
  };
  return handle;
}

// toToml writes the flat two-level config the builder uses (tables of strings and numbers).
function toToml(input: MciasConfigInput): string {
  const lines: string[] = [];
  for (const [section, value] of Object.entries(input)) {
    lines.push(`[${section}]`);
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) lines.push(`${key} = ${JSON.stringify(v)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
