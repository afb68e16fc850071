// Shared setup of the ACME tests: a real Metacrypt (real MCIAS, TLS, SQLite barrier) with a CA
// mount `pki` whose root and default issuers exist, EAB credentials through the REST API, policy
// rules, free ports and a bounded runner for the external ACME clients (certbot, lego).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineModule } from '../src/engine/index.js';
import { acmeAccess, acmeHttpAccess, acmeService, registerAcmeRoutes, type AcmeSettings } from '../src/engines/ca/acme/index.js';
import { caModule } from '../src/engines/ca/index.js';
import { engineModules } from '../src/engines/index.js';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';

/** withAcme is the CA module with the ACME server added, unless the lead already wired it in. */
export function withAcme(ca: EngineModule): EngineModule {
  if (ca.httpAccess && 'GET /acme/:mount/directory' in ca.httpAccess) return ca;
  return {
    ...ca,
    services: (host) => [...ca.services(host), acmeService(host)],
    access: { ...ca.access, ...acmeAccess },
    registerHttp: async (app, host) => {
      await ca.registerHttp?.(app, host);
      await registerAcmeRoutes(app, host);
    },
    httpAccess: { ...ca.httpAccess, ...acmeHttpAccess },
  };
}

/** AcmeMetacrypt is a test server with a ready CA mount and the facts the ACME tests need. */
export interface AcmeMetacrypt {
  readonly mc: TestMetacrypt;
  /** the mount's root certificate, PEM */
  readonly rootPem: string;
  /** a file holding rootPem plus the TLS test CA (what clients must trust: the ACME server's TLS and the issued chain) */
  readonly trustPath: string;
  readonly directoryUrl: string;
}

/** startAcmeMetacrypt starts Metacrypt with `[acme]` settings and a CA mount `pki` with a generated root. */
export async function startAcmeMetacrypt(acme: AcmeSettings = {}): Promise<AcmeMetacrypt> {
  const mc = await startTestMetacrypt({
    mounts: [{ name: 'pki', type: 'ca' }],
    modules: engineModules.map((m) => (m === caModule ? withAcme(m) : m)),
    logLevel: 'info',
    config: { acme: { ...acme } },
  });
  try {
    const gen = await mc.request('POST', '/v1/pki/pki/root/generate', {
      token: mc.adminToken,
      body: { subject: 'CN=ACME Test Root', key_type: 'ecdsa-p256' },
    });
    if (gen.status !== 200) throw new Error(`generate root: ${gen.status} ${gen.body}`);
    const root = await mc.request('GET', '/v1/pki/pki/ca');
    if (root.status !== 200) throw new Error(`get root: ${root.status} ${root.body}`);
    const trustPath = join(mc.dir, 'acme-trust.pem');
    await writeFile(trustPath, `${root.body.trim()}\n${mc.caCert.trim()}\n`);
    return { mc, rootPem: root.body, trustPath, directoryUrl: `${mc.restUrl}/acme/pki/directory` };
  } catch (err) {
    await mc.stop();
    throw err;
  }
}

/** createEab asks POST /v1/acme/pki/eab for credentials with `token`. */
export async function createEab(mc: TestMetacrypt, token: string, issuer?: string): Promise<{ kid: string; hmacKey: string }> {
  const res = await mc.request('POST', '/v1/acme/pki/eab', { token, body: issuer === undefined ? {} : { issuer } });
  if (res.status !== 200) throw new Error(`create eab: ${res.status} ${res.body}`);
  const body = res.json<{ kid: string; hmac_key: string }>();
  return { kid: body.kid, hmacKey: body.hmac_key };
}

/**
 * allowAcme adds the policy rules an ACME user needs: action `acme` on the mount, and `issue`
 * on issuer infra for names matching `allowedSans`.
 */
export async function allowAcme(mc: TestMetacrypt, username: string, allowedSans: readonly string[]): Promise<void> {
  const rules = [
    {
      name: `${username} acme`,
      priority: 10,
      effect: 'allow',
      usernames: [username],
      resources: ['ca/pki/acme'],
      actions: ['acme'],
    },
    {
      name: `${username} issue`,
      priority: 10,
      effect: 'allow',
      usernames: [username],
      resources: ['ca/pki/issuer/infra'],
      actions: ['issue'],
      conditions: { allowed_sans: [...allowedSans] },
    },
  ];
  for (const rule of rules) {
    const res = await mc.request('POST', '/v1/policy/rules', { token: mc.adminToken, body: rule });
    if (res.status !== 200) throw new Error(`create rule: ${res.status} ${res.body}`);
  }
}

/** freePort returns a TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** ToolResult is how an external command ended. */
export interface ToolResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** runTool runs a command to completion with a hard time limit (it is killed past `timeoutMs`). */
export function runTool(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
