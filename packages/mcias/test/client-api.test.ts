// The typed MCIAS client against a real MCIAS (real TLS, real SQLite, loopback port 0): every
// method group, and the typed errors the client turns MCIAS's 400/401/403/404/409/503 into.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { Secret, TOTP } from 'otpauth';
import {
  MciasAuthError,
  MciasClient,
  MciasConflictError,
  MciasForbiddenError,
  MciasInputError,
  MciasNotFoundError,
  MciasServerError,
  type MciasClientOptions,
} from '../src/client/index.js';
import { createTestClock, startTestMcias, type TestClock, type TestMcias } from '../src/testing.js';

const alicePassword = 'alice-password-1';

describe('MciasClient against a real MCIAS', () => {
  let m: TestMcias;
  let clock: TestClock;
  let admin: MciasClient;
  const clients: MciasClient[] = [];
  let aliceId: string;

  const connect = (options: Partial<MciasClientOptions> = {}): MciasClient => {
    const c = new MciasClient({ serverUrl: m.restUrl, caCert: m.caCert, ...options });
    clients.push(c);
    return c;
  };

  before(async () => {
    clock = createTestClock();
    m = await startTestMcias({ now: clock.now });
    admin = connect();
    await admin.login(m.admin!.username, m.admin!.password);
  });
  after(async () => {
    for (const c of clients) c.close();
    await m?.cleanup();
  });

  it('reads the public surface: health, vault status, the public key and the JWKS', async () => {
    const anonymous = connect();
    assert.deepEqual(await anonymous.health(), { status: 'ok' });
    assert.deepEqual(await anonymous.vaultStatus(), { sealed: false });
    const key = await anonymous.getPublicKey();
    assert.equal(key.kty, 'OKP');
    assert.equal(key.crv, 'Ed25519');
    assert.equal(key.alg, 'EdDSA');
    const jwks = await anonymous.getJWKS();
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]?.x, key.x);
    // A token from the client's login verifies offline with the published key set alone.
    const { token } = await connect().login(m.admin!.username, m.admin!.password);
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: jwks.keys.map((k) => ({ ...k })) }), {
      algorithms: ['EdDSA'],
      currentDate: new Date(clock.now()),
    });
    assert.deepEqual(payload.roles, ['admin']);
  });

  it('lets an admin create, list, get, update and soft-delete accounts', async () => {
    const alice = await admin.createAccount({
      username: 'alice',
      accountType: 'human',
      password: alicePassword,
      roles: ['user'],
      tags: ['env:dev'],
    });
    aliceId = alice.id;
    assert.equal(alice.username, 'alice');
    assert.equal(alice.accountType, 'human');
    assert.equal(alice.status, 'active');
    assert.equal(alice.totpRequired, false);
    assert.deepEqual(alice.roles, ['user']);
    assert.deepEqual(alice.tags, ['env:dev']);
    assert.ok(alice.createdAt instanceof Date);
    assert.equal(alice.deletedAt, undefined);

    const listed = await admin.listAccounts();
    assert.deepEqual(listed.map((a) => a.username).sort(), ['admin', 'alice']);
    assert.deepEqual(await admin.getAccount(alice.id), alice);

    const inactive = await admin.updateAccount(alice.id, { status: 'inactive' });
    assert.equal(inactive.status, 'inactive');
    await assert.rejects(connect().login('alice', alicePassword), MciasAuthError);
    assert.equal((await admin.updateAccount(alice.id, { status: 'active' })).status, 'active');

    const doomed = await admin.createAccount({ username: 'doomed', accountType: 'system' });
    await admin.deleteAccount(doomed.id);
    assert.ok(!(await admin.listAccounts()).some((a) => a.id === doomed.id));
    const withDeleted = await admin.listAccounts({ includeDeleted: true });
    const gone = withDeleted.find((a) => a.id === doomed.id);
    assert.equal(gone?.status, 'deleted');
    assert.ok(gone?.deletedAt instanceof Date);
  });

  it("manages an account's roles and tags", async () => {
    await admin.grantRole(aliceId, 'editor');
    await admin.grantRole(aliceId, 'editor'); // a no-op when present
    assert.deepEqual([...(await admin.getRoles(aliceId))].sort(), ['editor', 'user']);
    await admin.revokeRole(aliceId, 'user');
    assert.deepEqual(await admin.getRoles(aliceId), ['editor']);
    assert.deepEqual([...(await admin.setRoles(aliceId, ['viewer', 'user']))].sort(), ['user', 'viewer']);
    assert.deepEqual([...(await admin.setTags(aliceId, ['team:a', 'env:dev']))].sort(), ['env:dev', 'team:a']);
    assert.deepEqual([...(await admin.getTags(aliceId))].sort(), ['env:dev', 'team:a']);
    assert.deepEqual(await admin.setTags(aliceId, []), []);
  });

  it('logs a user in, validates, renews and logs out, keeping the token out of sight', async () => {
    const user = connect();
    const first = await user.login('alice', alicePassword);
    assert.ok(first.expiresAt.getTime() > clock.now());
    assert.ok(!inspect(user, { depth: 5, showHidden: true }).includes(first.token));

    const me = await user.validateToken();
    assert.equal(me.valid, true);
    assert.equal(me.username, 'alice');
    assert.equal(me.sub, aliceId);
    assert.equal(me.accountType, 'human');
    assert.deepEqual([...me.roles].sort(), ['user', 'viewer']);
    assert.ok(me.jti !== '');
    assert.deepEqual(await admin.validateToken(first.token), me, 'anyone may validate any token');

    const renewed = await user.renewToken();
    assert.notEqual(renewed.token, first.token);
    assert.equal((await admin.validateToken(first.token)).valid, false, 'the old token stops validating');
    assert.equal((await user.validateToken()).valid, true, 'the client now acts with the new token');

    await user.logout();
    assert.equal(user.hasToken, false);
    assert.equal((await admin.validateToken(renewed.token)).valid, false);
  });

  it('changes passwords: admin reset and self-service change', async () => {
    await admin.resetPassword(aliceId, 'reset-password-22');
    await assert.rejects(connect().login('alice', alicePassword), MciasAuthError);
    const user = connect();
    await user.login('alice', 'reset-password-22');
    await assert.rejects(user.changePassword('wrong-password-00', 'next-password-333'), MciasAuthError);
    await user.changePassword('reset-password-22', alicePassword);
    await connect().login('alice', alicePassword);
  });

  it('enrols TOTP, requires the code at login, and lets an admin remove it', async () => {
    const user = connect();
    await user.login('alice', alicePassword);
    const enrolment = await user.enrollTOTP(alicePassword);
    assert.match(enrolment.otpauthUri, /^otpauth:\/\/totp\//);
    const totp = new TOTP({ secret: Secret.fromBase32(enrolment.secret), digits: 6, period: 30, algorithm: 'SHA1' });
    await user.confirmTOTP(totp.generate({ timestamp: clock.now() }));
    assert.equal((await admin.getAccount(aliceId)).totpRequired, true);

    await assert.rejects(connect().login('alice', alicePassword), MciasAuthError, 'a code is needed now');
    clock.advance(30_000); // the confirm code is spent; the next step's code is fresh
    await connect().login('alice', alicePassword, totp.generate({ timestamp: clock.now() }));

    await admin.removeTOTP(aliceId);
    assert.equal((await admin.getAccount(aliceId)).totpRequired, false);
    await connect().login('alice', alicePassword);
  });

  it('issues a service token for a system account, validates and revokes it', async () => {
    const robot = await admin.createAccount({ username: 'robot', accountType: 'system', roles: ['user'] });
    const issued = await admin.issueServiceToken(robot.id);
    assert.ok(issued.expiresAt.getTime() - clock.now() > 300 * 24 * 3_600_000, 'system tokens live about a year');
    const info = await admin.validateToken(issued.token);
    assert.equal(info.valid, true);
    assert.equal(info.accountType, 'system');
    assert.equal(info.username, 'robot');
    const asRobot = connect({ token: issued.token });
    assert.equal((await asRobot.validateToken()).username, 'robot');

    await admin.revokeToken(info.jti);
    assert.equal((await admin.validateToken(issued.token)).valid, false);
    await assert.rejects(asRobot.renewToken(), MciasAuthError);
  });

  it('creates, reads, updates and deletes policy rules; a deny rule refuses a login with 403', async () => {
    const builtins = await admin.listPolicyRules();
    assert.ok(builtins.length > 0 && builtins.every((r) => r.builtin && r.id < 0));

    const rule = await admin.createPolicyRule({
      effect: 'deny',
      description: 'no alice on mcr',
      priority: 10,
      actions: ['auth:login'],
      serviceNames: ['mcr'],
      roles: ['viewer'],
      notBefore: new Date(clock.now() - 60_000),
    });
    assert.ok(rule.id > 0);
    assert.equal(rule.builtin, false);
    assert.equal(rule.effect, 'deny');
    assert.deepEqual(rule.serviceNames, ['mcr']);
    assert.equal(rule.notBefore?.getTime(), clock.now() - 60_000);
    assert.deepEqual(await admin.getPolicyRule(rule.id), rule);
    assert.ok((await admin.listPolicyRules()).some((r) => r.id === rule.id));

    const toMcr = connect({ serviceName: 'mcr', tags: ['env:prod'] });
    await assert.rejects(toMcr.login('alice', alicePassword), (err: unknown) => {
      assert.ok(err instanceof MciasForbiddenError, String(err));
      assert.equal(err.status, 403);
      return true;
    });
    await connect({ serviceName: 'mcns' }).login('alice', alicePassword);
    await assert.rejects(toMcr.login('alice', 'wrong-password-99'), MciasAuthError, 'bad credentials stay 401');

    const updated = await admin.updatePolicyRule(rule.id, {
      effect: 'deny',
      description: 'disabled for now',
      priority: 10,
      actions: ['auth:login'],
      serviceNames: ['mcr'],
      enabled: false,
    });
    assert.equal(updated.enabled, false);
    assert.equal(updated.notBefore, undefined, 'an update replaces the whole rule');
    await toMcr.login('alice', alicePassword);

    await admin.deletePolicyRule(rule.id);
    await assert.rejects(admin.getPolicyRule(rule.id), MciasNotFoundError);
  });

  it('queries the audit log with filters and pages', async () => {
    const granted = await admin.listAuditEvents({ eventType: 'role_granted', targetId: aliceId });
    assert.ok(granted.events.length >= 1);
    for (const e of granted.events) {
      assert.equal(e.eventType, 'role_granted');
      assert.equal(e.targetId, aliceId);
      assert.equal(e.targetUsername, 'alice');
      assert.equal(e.actorUsername, 'admin');
      assert.ok(e.eventTime instanceof Date);
    }
    const logins = await admin.listAuditEvents({ eventType: 'login_ok', actorId: aliceId });
    assert.ok(logins.events.length >= 3);
    const denied = await admin.listAuditEvents({ eventType: 'login_denied_policy' });
    assert.ok(denied.events.some((e) => e.targetId === aliceId || e.actorId === aliceId));
    for (const type of ['account_created', 'token_revoked', 'policy_rule_created', 'totp_removed', 'password_reset']) {
      assert.ok((await admin.listAuditEvents({ eventType: type })).events.length >= 1, type);
    }

    const page1 = await admin.listAuditEvents({ pageSize: 3 });
    assert.equal(page1.events.length, 3);
    assert.notEqual(page1.nextPageToken, '');
    const page2 = await admin.listAuditEvents({ pageSize: 3, pageToken: page1.nextPageToken });
    assert.ok(page2.events.length > 0);
    const ids1 = page1.events.map((e) => e.id);
    assert.ok(
      page2.events.every((e) => e.id < Math.min(...ids1)),
      'the next page holds older events',
    );

    const future = await admin.listAuditEvents({ since: new Date(clock.now() + 3_600_000) });
    assert.deepEqual(future.events, []);

    // No event carries a password or a token.
    const all = JSON.stringify((await admin.listAuditEvents({ pageSize: 500 })).events);
    assert.ok(!all.includes(alicePassword));
    assert.ok(!all.includes('eyJ'));
  });

  it('turns MCIAS refusals into typed errors: 400, 401, 403, 404, 409', async () => {
    const expectError = async (p: Promise<unknown>, type: abstract new (...args: never[]) => Error, status: number) => {
      await assert.rejects(p, (err: unknown) => {
        assert.ok(err instanceof type, String(err));
        assert.equal((err as Error & { status: number }).status, status);
        assert.match(err.message, /^[a-z ]+: \S/, 'the operation, then what MCIAS said');
        return true;
      });
    };
    await expectError(admin.grantRole(aliceId, 'superuser'), MciasInputError, 400);
    await expectError(admin.createAccount({ username: 'Not Valid', accountType: 'system' }), MciasInputError, 400);
    await expectError(admin.createAccount({ username: 'pwless', accountType: 'human' }), MciasInputError, 400);

    await expectError(connect().login('alice', 'not-her-password'), MciasAuthError, 401);
    await expectError(connect().login('nobody-here', 'not-a-password'), MciasAuthError, 401);
    const forged = connect({ token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
    await expectError(forged.listAccounts(), MciasAuthError, 401);

    const user = connect();
    const { token } = await user.login('alice', alicePassword);
    await expectError(user.listAccounts(), MciasForbiddenError, 403);
    await expectError(user.createPolicyRule({ effect: 'allow' }), MciasForbiddenError, 403);
    await assert.rejects(user.listAccounts(), (err: unknown) => !(err as Error).message.includes(token));

    await expectError(admin.getAccount(randomUUID()), MciasNotFoundError, 404);
    await expectError(admin.getPolicyRule(987654), MciasNotFoundError, 404);

    await expectError(admin.createAccount({ username: 'alice', accountType: 'system' }), MciasConflictError, 409);
  });

  it('never wrote a password or token to the server log', async () => {
    const log = await readFile(m.logPath, 'utf8');
    assert.ok(!log.includes(alicePassword));
    assert.ok(!log.includes(m.admin!.password));
    assert.ok(!/eyJ[\w-]+\.eyJ/.test(log));
  });
});

describe('MciasClient and the vault', () => {
  let m: TestMcias;
  let admin: MciasClient;

  before(async () => {
    m = await startTestMcias({ masterKey: 'passphrase' });
    admin = new MciasClient({ serverUrl: m.restUrl, caCert: m.caCert });
    await admin.login(m.admin!.username, m.admin!.password);
  });
  after(async () => {
    admin?.close();
    await m?.cleanup();
  });

  it('seals, refuses service with a sealed MciasServerError, and unseals with the passphrase', async () => {
    assert.deepEqual(await admin.seal(), { sealed: true });
    assert.deepEqual(await admin.vaultStatus(), { sealed: true });
    assert.deepEqual(await admin.health(), { status: 'sealed' });
    await assert.rejects(admin.listAccounts(), (err: unknown) => {
      assert.ok(err instanceof MciasServerError, String(err));
      assert.equal(err.status, 503);
      assert.equal(err.sealed, true);
      return true;
    });
    await assert.rejects(admin.unseal('not-the-passphrase'), (err: unknown) => {
      assert.ok(err instanceof Error && 'status' in err, String(err));
      return true;
    });
    assert.deepEqual(await admin.vaultStatus(), { sealed: true });
    assert.deepEqual(await admin.unseal(m.passphrase), { sealed: false });
    assert.equal((await admin.listAccounts()).length, 1, 'the token from before the seal still works');
  });
});
