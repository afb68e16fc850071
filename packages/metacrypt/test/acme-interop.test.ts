// Stock ACME clients against a real Metacrypt: certbot (standalone HTTP-01) and lego (HTTP-01,
// and DNS-01 through its exec provider writing into a DNS server the test runs, which Metacrypt's
// acme.dns_resolver points at). Each obtains a certificate with EAB credentials from the REST
// API, and `openssl verify` accepts the chain against the mount's root.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interopTool } from '@metacircular/mcdsl/testing';
import { allowAcme, createEab, freePort, runTool, startAcmeMetacrypt, type AcmeMetacrypt } from './acme-harness.js';
import { startTestDns, type TestDns } from './acme-dns-server.js';

describe('certbot and lego against the acme server', () => {
  let env: AcmeMetacrypt;
  let dns: TestDns;
  let token: string;
  let http01Port: number;
  let recordsDir: string;

  before(async () => {
    http01Port = await freePort();
    recordsDir = await mkdtemp(join(tmpdir(), 'acme-dns-records-'));
    dns = await startTestDns('mcp.example.test', { recordsDir });
    env = await startAcmeMetacrypt({ http01_port: http01Port, http01_address: '127.0.0.1', dns_resolver: dns.address });
    await allowAcme(env.mc, 'mcp-agent', ['*.svc.mcp.example.test']);
    token = await env.mc.token('mcp-agent', { accountType: 'system' });
  });
  after(async () => {
    await env?.mc.stop();
    await dns?.close();
    if (recordsDir) await rm(recordsDir, { recursive: true, force: true });
  });

  const verifyWithOpenssl = async (leafPath: string, chainPath: string) => {
    const openssl = interopTool('openssl');
    if (openssl.path === undefined) return;
    const rootPath = join(env.mc.dir, 'acme-root.pem');
    await writeFile(rootPath, env.rootPem);
    const res = await runTool(openssl.path, ['verify', '-CAfile', rootPath, '-untrusted', chainPath, leafPath], {
      timeoutMs: 20_000,
    });
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /: OK/);
  };

  it('certbot certonly --standalone obtains a certificate over HTTP-01', async (t) => {
    const certbot = interopTool('certbot');
    if (certbot.path === undefined) return t.skip(certbot.skip);
    const eab = await createEab(env.mc, token);
    const dir = join(env.mc.dir, 'certbot');
    const name = 'certbot.svc.mcp.example.test';
    const res = await runTool(
      certbot.path,
      [
        'certonly',
        '--standalone',
        '--non-interactive',
        '--agree-tos',
        '--register-unsafely-without-email',
        '--server',
        env.directoryUrl,
        `--eab-kid=${eab.kid}`,
        `--eab-hmac-key=${eab.hmacKey}`,
        '--http-01-port',
        String(http01Port),
        '--http-01-address',
        '127.0.0.1',
        '--config-dir',
        join(dir, 'config'),
        '--work-dir',
        join(dir, 'work'),
        '--logs-dir',
        join(dir, 'logs'),
        '-d',
        name,
      ],
      { env: { ...process.env, REQUESTS_CA_BUNDLE: env.mc.caPath }, timeoutMs: 90_000 },
    );
    assert.equal(res.code, 0, `certbot failed:\n${res.stdout}\n${res.stderr}`);
    const live = join(dir, 'config', 'live', name);
    const leaf = new X509Certificate(await readFile(join(live, 'cert.pem')));
    assert.ok(leaf.checkHost(name));
    await verifyWithOpenssl(join(live, 'cert.pem'), join(live, 'chain.pem'));
  });

  const lego = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const tool = interopTool('lego');
    if (tool.path === undefined) return { skip: tool.skip } as const;
    const eab = await createEab(env.mc, token);
    const dir = join(env.mc.dir, `lego-${args.join('-').replace(/[^a-z0-9]+/gi, '')}`);
    const res = await runTool(
      tool.path,
      [
        '--server',
        env.directoryUrl,
        '--eab',
        `--kid=${eab.kid}`,
        `--hmac=${eab.hmacKey}`,
        '--email',
        'ops@example.test',
        '--accept-tos',
        '--path',
        dir,
        ...args,
        'run',
      ],
      { env: { ...process.env, LEGO_CA_CERTIFICATES: env.mc.caPath, ...extraEnv }, timeoutMs: 90_000 },
    );
    return { res, dir } as const;
  };

  it('lego obtains a certificate over HTTP-01', async (t) => {
    const name = 'lego.svc.mcp.example.test';
    const run = await lego(['--domains', name, '--http', '--http.port', `127.0.0.1:${http01Port}`]);
    if ('skip' in run) return t.skip(run.skip);
    assert.equal(run.res.code, 0, `lego failed:\n${run.res.stdout}\n${run.res.stderr}`);
    const bundle = join(run.dir, 'certificates', `${name}.crt`);
    const issuer = join(run.dir, 'certificates', `${name}.issuer.crt`);
    assert.ok(new X509Certificate(await readFile(bundle)).checkHost(name));
    await verifyWithOpenssl(bundle, issuer);
  });

  it('lego obtains a certificate over DNS-01 with its exec provider', async (t) => {
    const script = join(env.mc.dir, 'lego-dns.sh');
    await writeFile(
      script,
      [
        '#!/bin/sh',
        '# lego exec provider: $1 = present|cleanup, $2 = fqdn with a trailing dot, $3 = TXT value',
        'name=$(printf %s "$2" | sed "s/\\.$//" | tr A-Z a-z)',
        `case "$1" in`,
        `  present) printf '%s\\n' "$3" >> "${recordsDir}/$name" ;;`,
        `  cleanup) rm -f "${recordsDir}/$name" ;;`,
        'esac',
        '',
      ].join('\n'),
    );
    await chmod(script, 0o755);
    const name = 'legodns.svc.mcp.example.test';
    const run = await lego(['--domains', name, '--dns', 'exec', '--dns.resolvers', dns.address, '--dns.disable-cp'], {
      EXEC_PATH: script,
      EXEC_PROPAGATION_TIMEOUT: '20',
      EXEC_POLLING_INTERVAL: '1',
    });
    if ('skip' in run) return t.skip(run.skip);
    assert.equal(run.res.code, 0, `lego failed:\n${run.res.stdout}\n${run.res.stderr}`);
    const bundle = join(run.dir, 'certificates', `${name}.crt`);
    assert.ok(new X509Certificate(await readFile(bundle)).checkHost(name));
    await verifyWithOpenssl(bundle, join(run.dir, 'certificates', `${name}.issuer.crt`));
  });
});
