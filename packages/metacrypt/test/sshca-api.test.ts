// The sshca engine through a real Metacrypt (real MCIAS, TLS, SQLite barrier): the public CA and
// KRL downloads, profile CRUD, policy for non-admin signers (403 without a rule, principals
// outside the profile refused, ttl capped at max_ttl), revocation, gRPC, and the seal.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { request as httpsGet } from 'node:https';
import { Code, ConnectError } from '@connectrpc/connect';
import { SSHCAService } from '@metacircular/proto/metacrypt/v1/sshca_pb';
import { sshcaModule } from '../src/engines/sshca/index.js';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';
import { bearer, grpcClients, type GrpcClients } from './core-grpc-client.js';

interface Json {
  [k: string]: unknown;
}

function ed25519Line(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  const pk = Buffer.from(jwk.x ?? '', 'base64url');
  const name = Buffer.from('ssh-ed25519');
  const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  return `ssh-ed25519 ${Buffer.concat([u32(name.length), name, u32(pk.length), pk]).toString('base64')} test`;
}

/** download fetches a raw route as bytes (TestResponse.body is text, which would mangle the KRL) */
function download(mc: TestMetacrypt, path: string): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(`${mc.restUrl}${path}`, { ca: mc.caCert, minVersion: 'TLSv1.3' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sshca over REST and gRPC', () => {
  let mc: TestMetacrypt;
  let clients: GrpcClients;
  let alice: string;
  const base = '/v1/sshca/ssh';
  const call = (method: string, path: string, body?: unknown, token: string | undefined = mc.adminToken) =>
    mc.request(method, `${base}${path}`, { token, ...(body === undefined ? {} : { body }) });

  before(async () => {
    mc = await startTestMetacrypt({
      mounts: [{ name: 'ssh', type: 'sshca', config: { default_user_profile: true } }],
      modules: [sshcaModule],
      logLevel: 'info',
    });
    clients = grpcClients(mc.grpcUrl, mc.caCert);
    alice = await mc.token('alice', { roles: ['user'] });
  });
  after(async () => {
    clients?.close();
    await mc?.stop();
  });

  it('serves the CA keys and the KRL publicly, as text and binary', async () => {
    const both = await download(mc, `${base}/ca`);
    assert.equal(both.status, 200);
    assert.match(both.type, /^text\/plain/);
    const lines = both.body.toString('utf8').trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /^ssh-ed25519 \S+ metacrypt:ssh:user-ca$/);
    const user = await download(mc, `${base}/ca?type=user`);
    assert.equal(user.body.toString('utf8'), `${lines[0]}\n`);
    const rpc = await clients.client(SSHCAService).getCAPublicKey({ mount: 'ssh' });
    assert.equal(rpc.userCaKey, lines[0]);
    assert.equal(rpc.hostCaKey, lines[1]);
    assert.equal((await download(mc, `${base}/ca?type=root`)).status, 400);
    assert.equal((await download(mc, '/v1/sshca/nope/ca')).status, 404);

    const krl = await download(mc, `${base}/krl`);
    assert.equal(krl.status, 200);
    assert.equal(krl.type, 'application/octet-stream');
    assert.equal(krl.body.subarray(0, 8).toString('latin1'), 'SSHKRL\n\0');
    const rpcKrl = await clients.client(SSHCAService).getKRL({ mount: 'ssh' });
    assert.deepEqual(Buffer.from(rpcKrl.krl), krl.body);
    assert.equal(rpcKrl.version, 1n);
  });

  it('profile CRUD is admin-only; any authenticated caller may read profiles', async () => {
    const created = await call('POST', '/profiles', {
      name: 'ops',
      cert_type: 'user',
      allowed_principals: ['root', 'deploy-*'],
      max_ttl: '8h',
      default_ttl: '1h',
      extensions: ['permit-pty'],
      critical_options: { 'source-address': '127.0.0.0/8' },
    });
    assert.equal(created.status, 200, created.body);
    const p = created.json<Json>();
    assert.equal(p.max_ttl, '8h');
    assert.deepEqual(p.allowed_key_types, [
      'ed25519',
      'ecdsa-p256',
      'ecdsa-p384',
      'ecdsa-p521',
      'sk-ed25519',
      'sk-ecdsa-p256',
      'rsa',
    ]);
    assert.equal((await call('POST', '/profiles', { name: 'ops', cert_type: 'user' })).status, 409);
    assert.equal((await call('POST', '/profiles', { name: 'x', cert_type: 'user', max_ttl: 'soon' })).status, 400);
    assert.equal((await call('POST', '/profiles', { name: 'mine', cert_type: 'user' }, alice)).status, 403);
    assert.deepEqual(
      (await call('GET', '/profiles', undefined, alice)).json<{ profiles: Json[] }>().profiles.map((x) => x.name),
      ['default', 'ops'],
    );
    const replaced = await call('PUT', '/profiles/ops', { cert_type: 'user', allowed_principals: ['root'] });
    assert.equal(replaced.status, 200, replaced.body);
    assert.equal(replaced.json<Json>().max_ttl, '24h');
    assert.equal(replaced.json<Json>().created_at, p.created_at);
    assert.equal((await call('POST', '/profiles', { name: 'gone', cert_type: 'host' })).status, 200);
    assert.equal((await call('DELETE', '/profiles/gone')).status, 204);
    assert.equal((await call('GET', '/profiles/gone', undefined, alice)).status, 404);
  });

  it('a non-admin signs only with a policy rule, only allowed principals, ttl capped', async () => {
    const sign = (body: Json, token = alice) => call('POST', '/sign/user', body, token);
    const noRule = await sign({ public_key: ed25519Line() });
    assert.equal(noRule.status, 403, noRule.body);

    const rule = await mc.request('POST', '/v1/policy/rules', {
      token: mc.adminToken,
      body: {
        name: 'alice signs ssh',
        priority: 10,
        effect: 'allow',
        usernames: ['alice'],
        resources: ['sshca/ssh/profile/*'],
        actions: ['sign-user'],
      },
    });
    assert.equal(rule.status, 200, rule.body);

    const own = await sign({ public_key: ed25519Line(), ttl: '100h' });
    assert.equal(own.status, 200, own.body);
    const signed = own.json<Json>();
    assert.deepEqual(signed.principals, ['alice']);
    assert.match(signed.certificate as string, /^ssh-ed25519-cert-v01@openssh\.com \S+ alice@metacrypt:\d+$/);
    assert.equal(signed.key_id, `alice@metacrypt:${signed.serial as string}`);
    // capped to the default profile's 24h (plus the minute of clock-skew slack before now)
    assert.equal(Date.parse(signed.valid_before as string) - Date.parse(signed.valid_after as string), 24 * 3_600_000 + 60_000);

    const other = await sign({ public_key: ed25519Line(), principals: ['root'] });
    assert.equal(other.status, 403);
    assert.match(other.json<{ error: string }>().error, /principals: "root" is not allowed by profile "default"/);
    const ops = await sign({ profile: 'ops', public_key: ed25519Line(), principals: ['root'] });
    assert.equal(ops.status, 200, ops.body);
    const deploy = await sign({ profile: 'ops', public_key: ed25519Line(), principals: ['deploy-web'] });
    assert.equal(deploy.status, 403, deploy.body);

    const badKey = await sign({ public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== me' });
    assert.equal(badKey.status, 400);
    assert.match(badKey.json<{ error: string }>().error, /^public_key: /);
    assert.equal(
      (await call('POST', '/profiles', { name: 'hosts', cert_type: 'host', allowed_principals: ['*.test'] })).status,
      200,
    );
    const host = await call('POST', '/sign/host', { profile: 'hosts', public_key: ed25519Line(), principals: ['h.test'] }, alice);
    assert.equal(host.status, 403, 'sign-user does not grant sign-host');
    assert.equal((await call('GET', '/certs', undefined, alice)).status, 403);
    assert.equal((await call('POST', '/revoke', { serial: 1 }, alice)).status, 403);
  });

  it('signs over gRPC with the caller from the token', async () => {
    const client = clients.client(SSHCAService);
    const res = await client.signUserCert({ mount: 'ssh', publicKey: ed25519Line(), keyId: 'grpc' }, bearer(alice));
    assert.deepEqual(res.principals, ['alice']);
    assert.equal(res.keyId, `alice@metacrypt:${res.serial}:grpc`);
    await assert.rejects(
      client.signUserCert({ mount: 'ssh', publicKey: 'nope' }, bearer(alice)),
      (err: unknown) => err instanceof ConnectError && err.code === Code.InvalidArgument,
    );
    await assert.rejects(
      client.signUserCert({ mount: 'ssh', publicKey: ed25519Line() }),
      (err: unknown) => err instanceof ConnectError && err.code === Code.Unauthenticated,
    );
  });

  it('admins revoke by serial; the KRL version goes up; 404 and 409 otherwise', async () => {
    const certs = (await call('GET', '/certs')).json<{ certs: Json[] }>().certs;
    assert.ok(certs.length >= 3);
    assert.ok(
      certs.every((c) => c.issued_by === 'alice' && c.revoked_at === undefined),
      JSON.stringify(certs[0]),
    );
    const serial = certs[0]?.serial as string;
    const revoked = await call('POST', '/revoke', { serial });
    assert.equal(revoked.status, 200, revoked.body);
    assert.ok(revoked.json<Json>().revoked_at);
    assert.equal((await call('POST', '/revoke', { serial })).status, 409);
    assert.equal((await call('POST', '/revoke', { serial: 999 })).status, 404);
    const krl = await clients.client(SSHCAService).getKRL({ mount: 'ssh' });
    assert.equal(krl.version, 2n);
  });

  it('answers 503 while sealed and keeps its state across a restart', async () => {
    await mc.restart();
    assert.equal((await download(mc, `${base}/krl`)).status, 503);
    assert.equal((await call('POST', '/sign/user', { public_key: ed25519Line() }, alice)).status, 503);
    await mc.unseal();
    // a new server process: connect again
    clients.close();
    clients = grpcClients(mc.grpcUrl, mc.caCert);
    const krl = await clients.client(SSHCAService).getKRL({ mount: 'ssh' });
    assert.equal(krl.version, 2n);
    const again = await call('POST', '/sign/user', { public_key: ed25519Line() }, alice);
    assert.equal(again.status, 200, again.body);
  });
});
