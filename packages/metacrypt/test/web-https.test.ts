// The web UI over plain HTTPS (no browser), on its own listener and talking to a real Metacrypt
// over gRPC: every route is in the access table, the admin signs in and uses the pages (transit
// playground, a certificate issued and downloaded, a policy rule), forged forms are refused
// with 403 before anything changes, a non-admin reads the API's refusals as messages, and a
// sealed or uninitialized server shows "Metacrypt is sealed" until it is unsealed or inited.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger, loadTLSFiles, missingAccessRules } from '@metacircular/mcdsl';
import { startTestMetacrypt, type TestMetacrypt } from '../src/testing.js';
import {
  csrfCookieName,
  sessionCookieName,
  startWebServer,
  webAccess,
  webPaths,
  type RunningWebServer,
} from '../src/web/index.js';
import { fieldOf, parseSetCookies, startTestWeb, textOf, WebSession } from './web-session.js';

const carolPassword = 'carol-password-12';
// sshEd25519Line writes a fresh Ed25519 public key as an OpenSSH authorized_keys line.
const sshEd25519Line = (): string => {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
  const str = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')} web@test`;
};
const pemBlocks = (text: string, label: string): string[] =>
  text.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----\\n?`, 'g')) ?? [];

describe('web UI over HTTPS', () => {
  let mc: TestMetacrypt;
  let web: RunningWebServer;
  let admin: WebSession;

  const session = (): WebSession => new WebSession(web.url, mc.caCert);
  const signIn = async (username: string, password: string): Promise<WebSession> => {
    const s = session();
    const res = await s.login(username, password);
    assert.equal(res.status, 303, `login ${username}: ${res.status} ${textOf(res)}`);
    assert.equal(res.headers['location'], '/');
    return s;
  };
  const mountNames = async (): Promise<string[]> =>
    (await mc.request('GET', '/v1/mounts', { token: mc.adminToken }))
      .json<{ mounts: Array<{ name: string }> }>()
      .mounts.map((m) => m.name);
  const ruleNames = async (): Promise<string[]> =>
    (await mc.request('GET', '/v1/policy/rules', { token: mc.adminToken }))
      .json<{ rules: Array<{ name: string }> }>()
      .rules.map((r) => r.name);

  before(async () => {
    mc = await startTestMetacrypt({
      mounts: [
        { name: 'pki', type: 'ca' },
        { name: 'ssh', type: 'sshca' },
        { name: 'u2u', type: 'user' },
      ],
      unsealThrottle: { baseDelayMs: 0 },
    });
    await mc.mcias.createAccount({ username: 'carol', password: carolPassword, roles: ['user'] });
    web = await startTestWeb(mc);
  });
  after(async () => {
    await web?.close();
    await mc?.stop();
  });

  it('lists every web route in its own access table, each public (the guards are in the web scope)', async () => {
    const { unlisted, unused } = await missingAccessRules(web.http.app, webAccess);
    assert.deepEqual(unlisted, []);
    assert.deepEqual(unused, []);
    const routes = new Set(Object.keys(webAccess).map((key) => key.slice(key.indexOf(' ') + 1)));
    for (const path of Object.values(webPaths)) assert.ok(routes.has(path), `${path} has no access row`);
    for (const [key, rule] of Object.entries(webAccess)) assert.equal(rule.level, 'public', key);
  });

  it('sends a browser without a session to /login, and signs the admin in with HttpOnly, Secure, SameSite=Strict cookies', async () => {
    const s = session();
    const home = await s.get('/');
    assert.equal(home.status, 303);
    assert.equal(home.headers['location'], '/login');

    const form = await s.get('/login');
    assert.equal(form.status, 200);
    assert.match(String(form.headers['content-security-policy']), /script-src 'self'/);
    assert.equal(form.headers['cache-control'], 'no-store');
    assert.equal(form.headers['x-frame-options'], 'DENY');
    const csrf = parseSetCookies(form).filter((c) => c.name === csrfCookieName);
    assert.equal(csrf.length, 1);
    for (const attr of ['httponly', 'secure']) assert.ok(csrf[0]!.attributes.has(attr), attr);
    assert.equal(csrf[0]!.attributes.get('samesite'), 'Strict');

    const wrong = await s.send('POST', '/login', { username: 'admin', password: 'not-the-password' });
    assert.equal(wrong.status, 401);
    assert.match(textOf(wrong), /Invalid username, password or code/);
    assert.match(wrong.body, /value="admin"/);
    assert.ok(!wrong.body.includes('not-the-password'), 'the password is never echoed');

    const ok = await s.send('POST', '/login', { username: mc.mcias.admin!.username, password: mc.mcias.admin!.password });
    assert.equal(ok.status, 303, textOf(ok));
    const cookie = parseSetCookies(ok).find((c) => c.name === sessionCookieName);
    assert.ok(cookie && cookie.value.length > 20);
    for (const attr of ['httponly', 'secure']) assert.ok(cookie.attributes.has(attr), attr);
    assert.equal(cookie.attributes.get('samesite'), 'Strict');
    assert.ok(Number(cookie.attributes.get('max-age')) > 0);

    const dash = await s.get('/');
    assert.equal(dash.status, 200);
    assert.equal(fieldOf(dash, 'dashboard-username'), 'admin');
    assert.equal(fieldOf(dash, 'dashboard-state'), 'unsealed');
    assert.ok(!dash.body.includes(cookie.value), 'the token never appears in a page');
    admin = s;
  });

  it('creates a transit mount and a key, and round-trips a message in the playground', async () => {
    const created = await admin.send('POST', '/mounts', { name: 'transit', type: 'transit', config: '' }, { htmx: true });
    assert.equal(created.status, 200, textOf(created));
    assert.match(created.body, /data-mount="transit"/);
    assert.ok((await mountNames()).includes('transit'));

    const key = await admin.send('POST', '/transit/transit/keys', { name: 'app', type: 'aes256-gcm' }, { htmx: true });
    assert.equal(key.status, 200, textOf(key));
    assert.match(key.body, /data-key="app" data-version="1"/);

    const message = 'hello <web> & "ui" ü';
    const enc = await admin.send(
      'POST',
      '/transit/transit/encrypt',
      { key: 'app', plaintext: message, plaintext_encoding: 'text', context: '' },
      { htmx: true },
    );
    assert.equal(enc.status, 200, textOf(enc));
    const ciphertext = fieldOf(enc, 'transit-ciphertext') ?? '';
    assert.match(ciphertext, /^metacrypt:v1:[A-Za-z0-9+/=]+$/);
    assert.ok(!enc.body.includes(message));

    const dec = await admin.send('POST', '/transit/transit/decrypt', { key: 'app', ciphertext, context: '' }, { htmx: true });
    assert.equal(dec.status, 200, textOf(dec));
    assert.equal(fieldOf(dec, 'plaintext'), message);
    assert.match(dec.body, /hello &lt;web&gt; &amp; &quot;ui&quot;/, 'the plaintext is escaped');

    const rotated = await admin.send('POST', '/transit/transit/keys/app/rotate', {}, { htmx: true });
    assert.match(rotated.body, /data-key="app" data-version="2"/);
    const old = await admin.send('POST', '/transit/transit/decrypt', { key: 'app', ciphertext }, { htmx: true });
    assert.equal(fieldOf(old, 'plaintext'), message, 'version 1 still decrypts after the rotation');

    const tampered = await admin.send(
      'POST',
      '/transit/transit/decrypt',
      { key: 'app', ciphertext: `${ciphertext.slice(0, -4)}AAA=` },
      { htmx: true },
    );
    assert.equal(tampered.headers['hx-retarget'], '#flash');
    assert.ok(tampered.status >= 400 && tampered.status < 500, String(tampered.status));
    assert.match(tampered.body, /class="error"/);
    assert.doesNotMatch(tampered.body, /\bat .+\.(ts|js):\d+/, 'no stack trace');
  });

  it('generates a root, issues a certificate and downloads it with its chain and key', async () => {
    const gen = await admin.send('POST', '/pki/pki/root/generate', { subject: '', key_type: 'ecdsa-p256', ttl: '' });
    assert.equal(gen.status, 303, textOf(gen));
    assert.equal(gen.headers['location'], '/pki/pki');
    const page = await admin.get('/pki/pki');
    assert.equal(page.status, 200);
    for (const issuer of ['infra', 'services', 'clients']) assert.match(page.body, new RegExp(`data-issuer="${issuer}"`));

    const fields = {
      issuer: 'infra',
      common_name: 'web.example.test',
      sans: 'web.example.test, www.example.test',
      ip_sans: '',
      profile: 'server',
      ttl: '24h',
      key_type: 'ecdsa-p256',
    };
    const bundle = await admin.send('POST', '/pki/pki/issue', { ...fields, output: 'download' });
    assert.equal(bundle.status, 200, textOf(bundle));
    assert.equal(bundle.headers['content-disposition'], 'attachment; filename="web.example.test.pem"');
    assert.equal(bundle.headers['cache-control'], 'no-store');
    const certs = pemBlocks(bundle.body, 'CERTIFICATE').map((pem) => new X509Certificate(pem));
    const keys = pemBlocks(bundle.body, 'PRIVATE KEY');
    assert.equal(certs.length, 3, 'leaf, issuer, root');
    assert.equal(keys.length, 1);
    const [leaf, issuer, chainRoot] = certs as [X509Certificate, X509Certificate, X509Certificate];
    const rootPem = await admin.get('/pki/pki/ca.pem');
    assert.equal(rootPem.status, 200);
    assert.match(String(rootPem.headers['content-disposition']), /^attachment; filename="pki-root.pem"$/);
    const root = new X509Certificate(rootPem.body);
    assert.equal(chainRoot.fingerprint256, root.fingerprint256);
    assert.ok(leaf.checkIssued(issuer) && leaf.verify(issuer.publicKey), 'the leaf is signed by the issuer');
    assert.ok(issuer.verify(root.publicKey), 'the issuer is signed by the root');
    assert.match(leaf.subjectAltName ?? '', /DNS:web\.example\.test/);
    assert.match(leaf.subjectAltName ?? '', /DNS:www\.example\.test/);
    const spki = (k: ReturnType<typeof createPublicKey>) => k.export({ type: 'spki', format: 'der' }).toString('base64');
    assert.equal(spki(createPublicKey(createPrivateKey(keys[0]!))), spki(leaf.publicKey), 'the key is the leaf key');

    const shown = await admin.send('POST', '/pki/pki/issue', {
      ...fields,
      common_name: 'shown.example.test',
      sans: '',
      output: 'page',
    });
    assert.equal(shown.status, 200, textOf(shown));
    assert.equal(shown.headers['cache-control'], 'no-store');
    assert.match(fieldOf(shown, 'issued-key') ?? '', /^-----BEGIN PRIVATE KEY-----/);
    assert.match(shown.body, /download="shown\.example\.test\.key\.pem" href="data:application\/x-pem-file;base64,/);
    const serial = fieldOf(shown, 'issued-serial') ?? '';
    assert.match(serial, /^[0-9a-f]{32}$/);

    const detail = await admin.get(`/pki/pki/certs/${serial}`);
    assert.equal(detail.status, 200);
    assert.equal(fieldOf(detail, 'cert-cn'), 'shown.example.test');
    assert.ok(!detail.body.includes('PRIVATE KEY'), 'the key is never shown again');
    const revoked = await admin.send('POST', `/pki/pki/certs/${serial}/revoke`, { reason: 'superseded' }, { htmx: true });
    assert.equal(revoked.status, 200, textOf(revoked));
    assert.match(revoked.body, /data-revoked="true"/);
    const record = await mc.request('GET', `/v1/pki/pki/certs/${serial}`, { token: mc.adminToken });
    assert.equal(record.json<{ revoked: boolean }>().revoked, true);
  });

  it('adds a policy rule from the form and edits it', async () => {
    const res = await admin.send(
      'POST',
      '/policy',
      {
        name: 'carol uses app',
        priority: '50',
        effect: 'allow',
        usernames: 'carol',
        resources: 'transit/transit/keys/app',
        actions: 'encrypt, decrypt',
      },
      { htmx: true },
    );
    assert.equal(res.status, 200, textOf(res));
    assert.match(textOf(res), /Rule carol uses app added/);
    const rules = (await mc.request('GET', '/v1/policy/rules', { token: mc.adminToken })).json<{
      rules: Array<{ id: string; name: string; priority: number; usernames: string[]; actions: string[]; resources: string[] }>;
    }>().rules;
    const rule = rules.find((r) => r.name === 'carol uses app');
    assert.ok(rule);
    assert.deepEqual(
      [rule.priority, rule.usernames, rule.actions, rule.resources],
      [50, ['carol'], ['encrypt', 'decrypt'], ['transit/transit/keys/app']],
    );

    const edit = await admin.get(`/policy/${rule.id}`);
    assert.equal(edit.status, 200);
    assert.match(edit.body, /id="rule-usernames" name="usernames" size="50" value="carol"/);
    const bad = await admin.send(
      'PUT',
      `/policy/${rule.id}`,
      { name: 'carol uses app', priority: 'high', effect: 'allow' },
      { htmx: true },
    );
    assert.equal(bad.status, 400);
    assert.match(textOf(bad), /Priority: must be a whole number/);

    const audit = await admin.get('/audit?mount=transit&result=allow');
    assert.equal(audit.status, 200, textOf(audit));
    assert.match(audit.body, /<tr data-action="\/metacrypt\.v1\.TransitService\/Encrypt" data-result="allow">/);
    assert.doesNotMatch(audit.body, /data-action="\/metacrypt\.v1\.CAService\//, 'filtered by mount');
    assert.ok(!audit.body.includes('hello <web>') && !audit.body.includes('hello &lt;web&gt;'), 'no plaintext in the audit log');
  });

  it('refuses forms without a valid CSRF token with 403 before anything changes', async () => {
    const mountsBefore = await mountNames();
    const rulesBefore = await ruleNames();
    const forged = await admin.send('POST', '/mounts', { name: 'forged', type: 'transit' }, { csrf: false });
    assert.equal(forged.status, 403);
    assert.match(textOf(forged), /not accepted/);
    const wrong = await admin.send(
      'POST',
      '/policy',
      { name: 'forged', effect: 'allow', actions: '*', resources: '**' },
      { csrf: 'x.y' },
    );
    assert.equal(wrong.status, 403);
    const del = await admin.send('DELETE', '/mounts/transit', undefined, { csrf: false, htmx: true });
    assert.equal(del.status, 403);
    // a token from another browser's page does not match this browser's cookie
    const other = session();
    await other.get('/login');
    const foreign = await admin.send('POST', '/mounts', { name: 'forged', type: 'transit' }, { csrf: other.csrfToken! });
    assert.equal(foreign.status, 403);
    const logout = await admin.send('POST', '/logout', {}, { csrf: false });
    assert.equal(logout.status, 403);
    assert.deepEqual(await mountNames(), mountsBefore);
    assert.deepEqual(await ruleNames(), rulesBefore);
    assert.equal((await admin.get('/')).status, 200, 'the session still works');
  });

  it('manages SSH CA profiles, signs a user key, revokes it and serves the KRL', async () => {
    const page = await admin.get('/sshca/ssh');
    assert.equal(page.status, 200, textOf(page));
    assert.match(fieldOf(page, 'sshca-user-key') ?? '', /^ssh-ed25519 /);
    const created = await admin.send(
      'POST',
      '/sshca/ssh/profiles',
      {
        name: 'ops',
        cert_type: 'user',
        allowed_principals: 'ops, deploy',
        default_ttl: '1h',
        max_ttl: '8h',
        extensions: ['permit-pty'],
      },
      { htmx: true },
    );
    assert.equal(created.status, 200, textOf(created));
    assert.match(created.body, /data-profile="ops"/);
    const updated = await admin.send(
      'PUT',
      '/sshca/ssh/profiles/ops',
      {
        cert_type: 'user',
        allowed_principals: 'ops',
        default_ttl: '2h',
        max_ttl: '8h',
        extensions: ['permit-pty', 'permit-agent-forwarding'],
      },
      { htmx: true },
    );
    assert.equal(updated.headers['hx-redirect'], '/sshca/ssh');
    const profile = (await mc.request('GET', '/v1/sshca/ssh/profiles/ops', { token: mc.adminToken })).json<{
      default_ttl: string;
      allowed_principals: string[];
    }>();
    assert.deepEqual([profile.default_ttl, profile.allowed_principals], ['2h', ['ops']]);

    const signed = await admin.send(
      'POST',
      '/sshca/ssh/sign',
      { kind: 'user', profile: 'ops', public_key: sshEd25519Line(), principals: 'ops', ttl: '1h', key_id: '' },
      { htmx: true },
    );
    assert.equal(signed.status, 200, textOf(signed));
    assert.match(fieldOf(signed, 'ssh-certificate') ?? '', /^ssh-ed25519-cert-v01@openssh\.com /);
    const serial = /data-serial="(\d+)"/.exec(signed.body)?.[1] ?? '';
    const revoked = await admin.send('POST', '/sshca/ssh/revoke', { serial }, { htmx: true });
    assert.equal(revoked.status, 200, textOf(revoked));
    assert.match(revoked.body, new RegExp(`data-serial="${serial}" data-revoked="true"`));
    const krl = await admin.get('/sshca/ssh/krl');
    assert.equal(krl.status, 200);
    assert.equal(krl.headers['content-disposition'], 'attachment; filename="ssh.krl"');
    assert.ok(krl.body.startsWith('SSHKRL'), 'an OpenSSH binary KRL');
    const gone = await admin.send('DELETE', '/sshca/ssh/profiles/ops', undefined, { htmx: true });
    assert.doesNotMatch(gone.body, /data-profile="ops"/);
  });

  it('registers my user key and encrypts to myself, then decrypts', async () => {
    const page = await admin.get('/user/u2u');
    assert.equal(page.status, 200, textOf(page));
    assert.match(page.body, /id="register-submit"/);
    const registered = await admin.send('POST', '/user/u2u/register', {}, { htmx: true });
    assert.equal(registered.status, 200, textOf(registered));
    assert.equal(fieldOf(registered, 'user-key-version'), '1');
    const enc = await admin.send('POST', '/user/u2u/encrypt', { recipients: 'admin', plaintext: 'note to self' }, { htmx: true });
    assert.equal(enc.status, 200, textOf(enc));
    const envelope = fieldOf(enc, 'user-envelope-out') ?? '';
    assert.ok(!envelope.includes('note to self'));
    const dec = await admin.send('POST', '/user/u2u/decrypt', { envelope }, { htmx: true });
    assert.equal(dec.status, 200, textOf(dec));
    assert.equal(fieldOf(dec, 'plaintext'), 'note to self');
    assert.equal(fieldOf(dec, 'user-sender'), 'admin');
  });

  it("shows a non-admin the API's refusals as messages, and lets the policy decide", async () => {
    const carol = await signIn('carol', carolPassword);
    const dash = await carol.get('/');
    assert.equal(fieldOf(dash, 'dashboard-username'), 'carol');
    assert.doesNotMatch(dash.body, /href="\/policy"/, 'no admin links for a user');

    const policy = await carol.get('/policy');
    assert.equal(policy.status, 403);
    assert.match(policy.body, /<p class="error" role="alert">Forbidden<\/p>/);
    assert.doesNotMatch(policy.body, /\bat .+\.(ts|js):\d+/);
    assert.equal((await carol.get('/audit')).status, 403);

    const mount = await carol.send('POST', '/mounts', { name: 'carols', type: 'transit' }, { htmx: true });
    assert.equal(mount.status, 403);
    assert.equal(mount.headers['hx-retarget'], '#flash');
    assert.match(textOf(mount), /Forbidden/);
    assert.ok(!(await mountNames()).includes('carols'));

    // the rule added above lets carol use the key "app", and nothing else
    const enc = await carol.send('POST', '/transit/transit/encrypt', { key: 'app', plaintext: 'from carol' }, { htmx: true });
    assert.equal(enc.status, 200, textOf(enc));
    const dec = await carol.send(
      'POST',
      '/transit/transit/decrypt',
      { key: 'app', ciphertext: fieldOf(enc, 'transit-ciphertext')! },
      { htmx: true },
    );
    assert.equal(fieldOf(dec, 'plaintext'), 'from carol');
    const rotate = await carol.send('POST', '/transit/transit/keys/app/rotate', {}, { htmx: true });
    assert.equal(rotate.status, 403);
    assert.match(textOf(rotate), /rotate/, `the policy's reason names the action: ${textOf(rotate)}`);

    const pki = await carol.get('/pki/pki');
    assert.equal(pki.status, 200, 'the page shows what carol may read');
    assert.match(pki.body, /<section id="pki-certs"><h2>Certificates<\/h2><p class="error" role="alert">/);
  });

  it("verifies the API's certificate against grpcServerName, refusing a name it does not carry", async () => {
    const start = async (grpcServerName: string): Promise<RunningWebServer> =>
      startWebServer({
        listenAddr: '127.0.0.1:0',
        tls: await loadTLSFiles({ cert: mc.pki.certPath, key: mc.pki.keyPath }),
        grpcUrl: mc.grpcUrl,
        grpcCa: mc.caCert,
        grpcServerName,
        logger: createLogger({ service: 'metacrypt-web', level: 'error', destination: join(mc.dir, 'web-names.log') }),
      });
    for (const [name, status] of [
      ['localhost', 303],
      ['not-in-the-certificate.example', 503],
    ] as const) {
      const w = await start(name);
      try {
        const res = await new WebSession(w.url, mc.caCert).get('/unseal');
        assert.equal(res.status, status, `${name}: ${textOf(res)}`);
        if (status === 503) assert.match(textOf(res), /The metacrypt api cannot be reached/);
      } finally {
        await w.close();
      }
    }
  });

  it('shows "Metacrypt is sealed" on every page while sealed, and unseals from /unseal', async () => {
    await mc.restart();
    const sealedWeb = await startTestWeb(mc);
    try {
      const s = new WebSession(sealedWeb.url, mc.caCert);
      const login = await s.login(mc.mcias.admin!.username, mc.mcias.admin!.password);
      assert.equal(login.status, 303, 'sign-in works while sealed (MCIAS decides)');
      for (const path of ['/', '/mounts', '/policy', '/transit/transit', '/pki/pki']) {
        const res = await s.get(path);
        assert.equal(res.status, 503, path);
        assert.match(textOf(res), /Metacrypt is sealed/, path);
        assert.match(res.body, /<a id="unseal-link" href="\/unseal">/, path);
      }
      const htmx = await s.send('POST', '/transit/transit/encrypt', { key: 'app', plaintext: 'x' }, { htmx: true });
      assert.equal(htmx.headers['hx-redirect'], '/unseal');

      assert.equal((await s.get('/unseal')).status, 200);
      const wrong = await s.send('POST', '/unseal', { password: 'not-the-unseal-password' });
      assert.equal(wrong.status, 401);
      assert.match(textOf(wrong), /Wrong unseal password/);
      assert.ok(!wrong.body.includes('not-the-unseal-password'));
      const ok = await s.send('POST', '/unseal', { password: mc.password });
      assert.equal(ok.status, 303, textOf(ok));
      assert.equal(ok.headers['location'], '/');
      assert.equal((await mc.request('GET', '/v1/status')).json<{ state: string }>().state, 'unsealed');
      assert.equal((await s.get('/mounts')).status, 200);
      assert.equal((await s.get('/unseal')).headers['location'], '/');
      assert.equal((await s.get('/init')).headers['location'], '/');
    } finally {
      await sealedWeb.close();
    }
  });

  it('logs no password, token or plaintext, and no unexpected error', async () => {
    const log = await readFile(join(mc.dir, 'web.log'), 'utf8');
    assert.ok(log.length > 0);
    const secrets = [mc.mcias.admin!.password, carolPassword, mc.password, admin.sessionToken!, 'hello <web>', 'from carol'];
    for (const secret of secrets) assert.ok(!log.includes(secret), 'a secret reached the web log');
    const errors = log.split('\n').filter((line) => line.includes('"level":50'));
    assert.deepEqual(errors, []);
  });
});

describe('web UI of an uninitialized Metacrypt', () => {
  let mc: TestMetacrypt;
  let web: RunningWebServer;
  before(async () => {
    mc = await startTestMetacrypt({ sealed: true });
    web = await startTestWeb(mc);
  });
  after(async () => {
    await web?.close();
    await mc?.stop();
  });
  const state = async (): Promise<string> => (await mc.request('GET', '/v1/status')).json<{ state: string }>().state;

  it('points every page at /init, relays init only for a signed-in user, and checks the password twice', async () => {
    const s = new WebSession(web.url, mc.caCert);
    const home = await s.get('/');
    assert.equal(home.status, 503);
    assert.match(home.body, /<a id="init-link" href="\/init">/);
    assert.equal((await s.get('/unseal')).headers['location'], '/init');

    const anonymous = await s.get('/init');
    assert.equal(anonymous.status, 200);
    assert.match(anonymous.body, /id="init-sign-in"/);
    const relayed = await s.send('POST', '/init', {
      password: 'a-long-enough-password',
      confirm_password: 'a-long-enough-password',
    });
    assert.equal(relayed.status, 303);
    assert.equal(relayed.headers['location'], '/login');
    assert.equal(await state(), 'uninitialized');

    assert.equal((await s.login(mc.mcias.admin!.username, mc.mcias.admin!.password)).status, 303);
    const form = await s.get('/init');
    assert.match(form.body, /id="init-confirm"/);
    const differ = await s.send('POST', '/init', {
      password: 'a-long-enough-password',
      confirm_password: 'another-long-password',
    });
    assert.equal(differ.status, 400);
    assert.match(textOf(differ), /The two passwords differ/);
    const short = await s.send('POST', '/init', { password: 'short', confirm_password: 'short' });
    assert.equal(short.status, 400);
    assert.match(textOf(short), /Password must be 12 to 1024 characters long/);
    assert.equal(await state(), 'uninitialized');

    const ok = await s.send('POST', '/init', { password: 'a-long-enough-password', confirm_password: 'a-long-enough-password' });
    assert.equal(ok.status, 303, textOf(ok));
    assert.equal(ok.headers['location'], '/');
    assert.equal(await state(), 'unsealed');
    assert.equal((await s.get('/')).status, 200);
  });
});
