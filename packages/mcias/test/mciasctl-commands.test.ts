// mciasctl end to end: the compiled CLI as a child process against a real MCIAS, as a script
// would use it (--password-stdin, --json, exit codes). The prompt without echo is checked under
// a real pty in mciasctl-pty.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { MciasClient } from '../src/client/index.js';
import { createTestClock, startTestMcias, type TestClock, type TestMcias } from '../src/testing.js';
import { assertBuilt, runCtl, type CtlResult } from './mciasctl-run.js';

const alicePassword = 'alice-password-1';

describe('mciasctl', () => {
  let m: TestMcias;
  let clock: TestClock;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let adminToken: string;

  const ctl = (args: string[], stdin?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<CtlResult> =>
    runCtl(args, { env: { ...env, ...extraEnv }, ...(stdin !== undefined ? { stdin } : {}) });
  const ok = async (args: string[], stdin?: string, extraEnv?: NodeJS.ProcessEnv): Promise<CtlResult> => {
    const res = await ctl(args, stdin, extraEnv);
    assert.equal(res.code, 0, `mciasctl ${args.join(' ')}: ${res.stderr}`);
    return res;
  };
  const json = async <T>(args: string[], stdin?: string): Promise<T> =>
    JSON.parse((await ok(['--json', ...args], stdin)).stdout) as T;
  const tokenFile = () => join(home, 'config', 'mciasctl', 'token');

  before(async () => {
    assertBuilt();
    clock = createTestClock();
    m = await startTestMcias({ now: clock.now });
    home = await mkdtemp(join(tmpdir(), 'mciasctl-test-'));
    env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), MCIAS_SERVER: m.restUrl, MCIAS_CACERT: m.pki.caPath };
  });
  after(async () => {
    await m?.cleanup();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('says how to log in when there is no token, and exits 3', async () => {
    const res = await ctl(['account', 'list']);
    assert.equal(res.code, 3);
    assert.match(res.stderr, /not logged in .*run `mciasctl login <username>`, pass --token-file <path> or set MCIAS_TOKEN/);
    assert.equal(res.stdout, '');
  });

  it('logs in with --password-stdin and keeps the token in a 0600 file, printing it nowhere', async () => {
    const res = await ok(['login', m.admin!.username, '--password-stdin'], `${m.admin!.password}\n`);
    assert.equal(res.stdout, '');
    assert.match(res.stderr, new RegExp(`logged in as admin until .*; token saved to ${tokenFile()}`));
    const info = await stat(tokenFile());
    assert.equal(info.mode & 0o777, 0o600);
    assert.equal((await stat(join(home, 'config', 'mciasctl'))).mode & 0o777, 0o700);
    adminToken = (await readFile(tokenFile(), 'utf8')).trim();
    assert.ok(!res.stderr.includes(adminToken));

    const who = await json<{ valid: boolean; username: string; roles: string[]; account_type: string }>(['whoami']);
    assert.equal(who.valid, true);
    assert.equal(who.username, 'admin');
    assert.deepEqual(who.roles, ['admin']);
    assert.equal(who.account_type, 'human');

    // --print-token is the one way to get it on stdout, and then no file is written.
    const printed = await ok(
      ['--token-file', join(home, 'unused'), 'login', 'admin', '--password-stdin', '--print-token'],
      m.admin!.password,
    );
    assert.match(printed.stdout, /^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    await assert.rejects(stat(join(home, 'unused')), { code: 'ENOENT' });
  });

  it('refuses a token in argv without echoing it (exit 2), and bad credentials (exit 3)', async () => {
    const res = await ctl(['--token', 'eyJsecret-token-value', 'account', 'list']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--token is not accepted .*use --token-file <path> or MCIAS_TOKEN/);
    assert.ok(!res.stderr.includes('secret-token-value'));
    const bad = await ctl(['login', 'admin', '--password-stdin'], 'wrong-password');
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /^mciasctl: login: /);
    const usage = await ctl(['account', 'frobnicate']);
    assert.equal(usage.code, 2);
    const noPrompt = await ctl(['login', 'admin']);
    assert.equal(noPrompt.code, 1);
    assert.match(noPrompt.stderr, /standard input is not a terminal; use --password-stdin or --password-file/);
  });

  it('creates accounts and lists them as JSON with the API field names', async () => {
    const alice = await json<{ id: string; username: string; account_type: string; roles: string[] }>(
      ['account', 'create', 'alice', '--type', 'human', '--role', 'user', '--tag', 'env:dev', '--password-stdin'],
      alicePassword,
    );
    assert.equal(alice.username, 'alice');
    assert.equal(alice.account_type, 'human');
    assert.deepEqual(alice.roles, ['user']);
    await ok(['account', 'create', 'ci-bot', '--type', 'system', '--role', 'user']);

    const list = await json<
      { username: string; account_type: string; status: string; totp_required: boolean; created_at: string }[]
    >(['account', 'list']);
    assert.deepEqual(list.map((a) => a.username).sort(), ['admin', 'alice', 'ci-bot']);
    const bot = list.find((a) => a.username === 'ci-bot')!;
    assert.equal(bot.account_type, 'system');
    assert.equal(bot.status, 'active');
    assert.equal(bot.totp_required, false);
    assert.match(bot.created_at, /^\d{4}-\d{2}-\d{2}T/);

    // People get a table; accounts may be named by username or id.
    const table = await ok(['account', 'list']);
    assert.match(table.stdout, /^USERNAME +TYPE +STATUS +ROLES +TAGS +TOTP +ID\n/);
    assert.match(table.stdout, /\nalice +human +active +user +env:dev +no +[0-9a-f-]{36}\n/);
    const byId = await json<{ username: string }>(['account', 'get', alice.id]);
    assert.equal(byId.username, 'alice');

    const dup = await ctl(['account', 'create', 'alice', '--type', 'system']);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /^mciasctl: create account: .*alice/);
    const missing = await ctl(['account', 'get', 'nobody']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no account named "nobody"; see `mciasctl account list`/);
  });

  it('grants, revokes and sets roles and tags', async () => {
    await ok(['role', 'grant', 'alice', 'editor']);
    assert.deepEqual((await json<{ roles: string[] }>(['role', 'list', 'alice'])).roles.sort(), ['editor', 'user']);
    await ok(['role', 'revoke', 'alice', 'user']);
    assert.equal((await ok(['role', 'list', 'alice'])).stdout, 'editor\n');
    assert.deepEqual((await json<{ roles: string[] }>(['role', 'set', 'alice', 'viewer', 'user'])).roles.sort(), [
      'user',
      'viewer',
    ]);
    const bad = await ctl(['role', 'grant', 'alice', 'superuser']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /grant role: .*superuser/);

    assert.deepEqual((await json<{ tags: string[] }>(['tag', 'set', 'alice', 'team:a', 'env:prod'])).tags.sort(), [
      'env:prod',
      'team:a',
    ]);
    assert.equal((await ok(['tag', 'list', 'alice'])).stdout, 'env:prod\nteam:a\n');
  });

  it('issues a service token, validates it and revokes it by jti', async () => {
    const issued = await json<{ token: string; expires_at: string; account_id: string }>(['token', 'issue', 'ci-bot']);
    assert.match(issued.token, /^eyJ/);
    const info = await json<{ valid: boolean; username: string; jti: string }>(['token', 'validate', '--stdin'], issued.token);
    assert.equal(info.valid, true);
    assert.equal(info.username, 'ci-bot');

    const out = join(home, 'ci-bot.token');
    await ok(['token', 'issue', 'ci-bot', '--out', out]);
    assert.equal((await stat(out)).mode & 0o777, 0o600);

    await ok(['token', 'revoke', info.jti]);
    const after = await ctl(['--json', 'token', 'validate', '--stdin'], issued.token);
    assert.equal(after.code, 1, 'a revoked token fails validation with exit 1');
    assert.equal((JSON.parse(after.stdout) as { valid: boolean }).valid, false);

    // Acting with the revoked token: exit 3 and a hint.
    const asBot = await ctl(['whoami'], undefined, { MCIAS_TOKEN: issued.token });
    assert.equal(asBot.code, 3);
    assert.match(asBot.stderr, /not valid \(expired or revoked\)/);
  });

  it('manages policy rules from flags and from a file', async () => {
    const rule = await json<{ id: number; effect: string; service_names: string[]; required_tags: string[]; priority: number }>([
      'policy',
      'create',
      '--effect',
      'deny',
      '--action',
      'auth:login',
      '--service-name',
      'mcr',
      '--required-tag',
      'env:restricted',
      '--priority',
      '10',
      '--description',
      'no restricted logins to mcr',
    ]);
    assert.ok(rule.id > 0);
    assert.deepEqual(rule.service_names, ['mcr']);
    assert.deepEqual(rule.required_tags, ['env:restricted']);

    const updated = await json<{ enabled: boolean; roles: string[]; effect: string }>([
      'policy',
      'update',
      String(rule.id),
      '--disabled',
      '--role',
      'viewer,editor',
    ]);
    assert.equal(updated.enabled, false);
    assert.deepEqual(updated.roles.sort(), ['editor', 'viewer']);
    assert.equal(updated.effect, 'deny', 'fields not given keep their values');

    // get --json, edit, update --file: the round trip an operator does.
    const fetched = await json<Record<string, unknown>>(['policy', 'get', String(rule.id)]);
    const file = join(home, 'rule.json');
    await writeFile(file, JSON.stringify({ ...fetched, enabled: true, priority: 20 }));
    const fromFile = await json<{ enabled: boolean; priority: number; service_names: string[] }>([
      'policy',
      'update',
      String(rule.id),
      '--file',
      file,
    ]);
    assert.equal(fromFile.enabled, true);
    assert.equal(fromFile.priority, 20);
    assert.deepEqual(fromFile.service_names, ['mcr']);

    await writeFile(file, JSON.stringify({ effect: 'deny', required_tag: ['typo'] }));
    const typo = await ctl(['policy', 'create', '--file', file]);
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /rule file .*rule\.json: unknown field "required_tag"/);

    const listed = await ok(['policy', 'list']);
    assert.match(listed.stdout, /^ID +PRIORITY +EFFECT/);
    assert.match(listed.stdout, /no restricted logins to mcr/);
    await ok(['policy', 'delete', String(rule.id)]);
    const gone = await ctl(['policy', 'get', String(rule.id)]);
    assert.equal(gone.code, 1);
  });

  it('resets TOTP (RemoveTOTP) of an enrolled account', async () => {
    const user = new MciasClient({ serverUrl: m.restUrl, caCert: m.caCert });
    try {
      await user.login('alice', alicePassword);
      const { secret } = await user.enrollTOTP(alicePassword);
      await user.confirmTOTP(new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: clock.now() }));
    } finally {
      user.close();
    }
    assert.equal((await json<{ totp_required: boolean }>(['account', 'get', 'alice'])).totp_required, true);
    await ok(['totp', 'reset', 'alice']);
    assert.equal((await json<{ totp_required: boolean }>(['account', 'get', 'alice'])).totp_required, false);
  });

  it('queries the audit log as JSON, filtered by type, actor and target, with paging', async () => {
    const page = await json<{
      events: { event_type: string; target_username: string; actor_username: string; details: object }[];
      next_page_token: string;
    }>(['audit', 'query', '--type', 'role_granted', '--target', 'alice']);
    assert.ok(page.events.length >= 1);
    assert.ok(
      page.events.every((e) => e.event_type === 'role_granted' && e.target_username === 'alice' && e.actor_username === 'admin'),
    );
    assert.ok(page.events.some((e) => JSON.stringify(e.details).includes('editor')));

    const revoked = await json<{ events: { event_type: string }[] }>([
      'audit',
      'query',
      '--type',
      'token_revoked',
      '--actor',
      'admin',
      '--since',
      '1h',
    ]);
    assert.ok(revoked.events.length >= 1);
    const limited = await json<{ events: unknown[]; next_page_token: string }>(['audit', 'query', '--limit', '2']);
    assert.equal(limited.events.length, 2);
    assert.notEqual(limited.next_page_token, '');
    const next = await json<{ events: unknown[] }>(['audit', 'query', '--limit', '2', '--page-token', limited.next_page_token]);
    assert.equal(next.events.length, 2);
    assert.notDeepEqual(next.events, limited.events);

    const table = await ok(['audit', 'query', '--limit', '2']);
    assert.match(table.stdout, /^TIME +EVENT +ACTOR +TARGET +IP +DETAILS\n/);
    assert.match(table.stderr, /more events: add --page-token \S+/);
  });

  it('refuses an admin command for a non-admin with 403 (exit 1), and logout removes the token file', async () => {
    const aliceFile = join(home, 'alice.token');
    await ok(['--token-file', aliceFile, 'login', 'alice', '--password-stdin'], alicePassword);
    const denied = await ctl(['--token-file', aliceFile, 'account', 'list']);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /list accounts: .*log in as an admin/);
    await ok(['--token-file', aliceFile, 'logout']);
    await assert.rejects(stat(aliceFile), { code: 'ENOENT' });
  });

  it('left no password or token in the server log', async () => {
    const log = await readFile(m.logPath, 'utf8');
    assert.ok(!log.includes(alicePassword));
    assert.ok(!log.includes(m.admin!.password));
    assert.ok(!log.includes(adminToken));
  });
});

describe('mciasctl vault', () => {
  let m: TestMcias;
  let home: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    assertBuilt();
    m = await startTestMcias({ masterKey: 'passphrase' });
    home = await mkdtemp(join(tmpdir(), 'mciasctl-vault-'));
    env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), MCIAS_SERVER: m.restUrl, MCIAS_CACERT: m.pki.caPath };
  });
  after(async () => {
    await m?.cleanup();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('seals, reports sealed (exit 1) and unseals with --passphrase-stdin', async () => {
    assert.equal((await runCtl(['login', 'admin', '--password-stdin'], { env, stdin: m.admin!.password })).code, 0);
    assert.equal((await runCtl(['vault', 'seal'], { env })).code, 0);
    const status = await runCtl(['vault', 'status'], { env });
    assert.equal(status.code, 1);
    assert.equal(status.stdout, 'sealed\n');
    const refused = await runCtl(['account', 'list'], { env });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /unseal it with `mciasctl vault unseal`/);
    const unsealed = await runCtl(['--json', 'vault', 'unseal', '--passphrase-stdin'], { env, stdin: m.passphrase });
    assert.equal(unsealed.code, 0, unsealed.stderr);
    assert.deepEqual(JSON.parse(unsealed.stdout), { sealed: false });
    assert.equal((await runCtl(['vault', 'status'], { env })).stdout, 'unsealed\n');
  });
});
