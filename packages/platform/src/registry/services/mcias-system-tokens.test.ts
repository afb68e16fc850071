import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { MciasAccount, MciasTokenCheck } from './mcias-api.js';
import { ensureSystemTokens, tokenRenewalMs } from './mcias-system-tokens.js';
import type { SystemAccountAPI } from './mcias-system-tokens.js';

// The end-to-end test (test/real-services.test.ts) runs this against the real MCIAS; here an
// in-memory MCIAS covers the cases a fresh platform never reaches: expiring, foreign and
// unreadable tokens, and accounts an operator changed by hand.

const root = mkdtempSync(join(tmpdir(), 'mc-system-tokens-'));
after(() => rmSync(root, { recursive: true, force: true }));

const now = Date.parse('2030-01-01T00:00:00Z');
const day = 24 * 60 * 60 * 1000;

/** FakeMcias keeps accounts and tokens in memory and records which calls were made. */
class FakeMcias implements SystemAccountAPI {
  readonly accounts = new Map<string, MciasAccount>();
  readonly tokens = new Map<string, { username: string; expiresAt: number; valid: boolean }>();
  readonly calls: string[] = [];
  #next = 0;

  listAccounts(): Promise<readonly MciasAccount[]> {
    this.calls.push('list');
    return Promise.resolve([...this.accounts.values()]);
  }

  createSystemAccount(_token: string, username: string): Promise<MciasAccount> {
    this.calls.push(`create ${username}`);
    return Promise.resolve(this.add(username));
  }

  issueServiceToken(_token: string, account: MciasAccount): Promise<string> {
    this.calls.push(`issue ${account.username}`);
    return Promise.resolve(this.mint(account.username, now + 365 * day));
  }

  validateToken(token: string): Promise<MciasTokenCheck> {
    this.calls.push('validate');
    const known = this.tokens.get(token);
    if (known === undefined || !known.valid) return Promise.resolve({ valid: false });
    const account = this.accounts.get(known.username);
    return Promise.resolve({
      valid: true,
      username: known.username,
      account_type: account?.account_type ?? 'system',
      expires_at: new Date(known.expiresAt).toISOString(),
    });
  }

  add(username: string, fields: Partial<MciasAccount> = {}): MciasAccount {
    const account = { id: `uuid-${username}`, username, account_type: 'system', status: 'active', ...fields };
    this.accounts.set(username, account);
    return account;
  }

  mint(username: string, expiresAt: number): string {
    const token = `token-${++this.#next}-${username}`;
    this.tokens.set(token, { username, expiresAt, valid: true });
    return token;
  }
}

function files(...names: string[]): Record<string, string> {
  const dir = mkdtempSync(join(root, 'secrets-'));
  return Object.fromEntries(names.map((name) => [name, join(dir, `${name}.token`)]));
}

const read = (path: string): string => readFileSync(path, 'utf8').trim();

test('a new platform gets one system account and one 0600 token file per service', async () => {
  const mcias = new FakeMcias();
  const paths = files('mcr', 'mcns');
  await ensureSystemTokens(mcias, 'admin-token', paths, () => now);
  assert.deepEqual(mcias.calls, ['list', 'create mcr', 'issue mcr', 'create mcns', 'issue mcns']);
  for (const [name, path] of Object.entries(paths)) {
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(mcias.tokens.get(read(path))?.username, name);
  }
});

test('a re-run keeps valid tokens and replaces revoked, foreign, expiring and garbled ones', async () => {
  const mcias = new FakeMcias();
  const paths = files('kept', 'revoked', 'foreign', 'expiring', 'garbled', 'empty');
  for (const name of Object.keys(paths)) mcias.add(name);
  const write = (name: string, token: string): void => writeFileSync(paths[name] ?? '', `${token}\n`, { mode: 0o644 });
  const kept = mcias.mint('kept', now + 200 * day);
  write('kept', kept);
  const revoked = mcias.mint('revoked', now + 200 * day);
  (mcias.tokens.get(revoked) ?? assert.fail()).valid = false;
  write('revoked', revoked);
  write('foreign', mcias.mint('kept', now + 200 * day));
  write('expiring', mcias.mint('expiring', now + tokenRenewalMs - day));
  write('garbled', 'not a token');
  write('empty', '');

  await ensureSystemTokens(mcias, 'admin-token', paths, () => now);
  assert.equal(read(paths['kept'] ?? ''), kept, 'a valid token is kept as is');
  assert.equal(statSync(paths['kept'] ?? '').mode & 0o777, 0o600, 'a kept file is tightened to 0600');
  for (const name of ['revoked', 'foreign', 'expiring', 'garbled', 'empty']) {
    const token = mcias.tokens.get(read(paths[name] ?? ''));
    assert.equal(token?.username, name, `${name} got a new token of its own`);
    assert.equal(token?.expiresAt, now + 365 * day);
  }
  assert.ok(!mcias.calls.some((call) => call.startsWith('create')), 'existing accounts are not created again');
  assert.ok(!mcias.calls.includes('issue kept'));
});

test('a human or inactive account of a service name is refused with what to do', async () => {
  const human = new FakeMcias();
  human.add('mcr', { account_type: 'human' });
  await assert.rejects(
    ensureSystemTokens(human, 'admin-token', files('mcr'), () => now),
    {
      name: 'PreconditionError',
      message: /MCIAS account 'mcr' is a human account, but service 'mcr' needs a system account/,
    },
  );
  const inactive = new FakeMcias();
  inactive.add('mcns', { status: 'inactive' });
  await assert.rejects(
    ensureSystemTokens(inactive, 'admin-token', files('mcns'), () => now),
    {
      message: /system account 'mcns' is inactive; reactivate it \(mciasctl account update mcns --status active\)/,
    },
  );
  assert.ok(!inactive.calls.some((call) => call.startsWith('issue')));
});
