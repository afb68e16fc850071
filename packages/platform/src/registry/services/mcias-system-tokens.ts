import { PreconditionError } from '@metacircular/mcdsl';
import { readSecretFile, writeSecretFile } from '../../secret-file.js';
import type { MciasAccount, MciasAPI } from './mcias-api.js';

/** tokenRenewalMs: a kept token with less than this left is replaced (system tokens live 365 days). */
export const tokenRenewalMs = 30 * 24 * 60 * 60 * 1000;

/** SystemAccountAPI is the part of MciasAPI that ensureSystemTokens uses. */
export type SystemAccountAPI = Pick<MciasAPI, 'listAccounts' | 'createSystemAccount' | 'issueServiceToken' | 'validateToken'>;

/**
 * ensureSystemTokens gives each named service a system account in MCIAS and a valid token for
 * it in its file (0600), doing as little as possible on a re-run:
 *   1. list the accounts once; create the system accounts that are missing;
 *   2. refuse a name held by a human account or an account that is not active: a service
 *      must not run as a person, and reactivating an account is the operator's decision;
 *   3. keep a token file whose token MCIAS still validates as that very system account with
 *      more than 30 days left; otherwise issue a new token and replace the file atomically.
 * Tokens are never printed or logged, and only their files' paths appear in messages.
 */
export async function ensureSystemTokens(
  api: SystemAccountAPI,
  adminToken: string,
  tokenFiles: Readonly<Record<string, string>>,
  now: () => number = Date.now,
): Promise<void> {
  const accounts = new Map((await api.listAccounts(adminToken)).map((account) => [account.username, account]));
  for (const [name, file] of Object.entries(tokenFiles)) {
    const account = accounts.get(name) ?? (await api.createSystemAccount(adminToken, name));
    assertUsable(account);
    if (await holdsValidToken(api, file, name, now())) continue;
    writeSecretFile(file, (await api.issueServiceToken(adminToken, account)) + '\n');
  }
}

function assertUsable(account: MciasAccount): void {
  if (account.account_type !== 'system') {
    throw new PreconditionError(
      `MCIAS account '${account.username}' is a ${account.account_type} account, but service '${account.username}' ` +
        'needs a system account of that name and MCIAS never reuses a username; use a fresh platform directory',
    );
  }
  if (account.status !== 'active') {
    throw new PreconditionError(
      `MCIAS system account '${account.username}' is ${account.status}; reactivate it ` +
        `(mciasctl account update ${account.username} --status active), then run mc up again`,
    );
  }
}

async function holdsValidToken(api: SystemAccountAPI, file: string, name: string, now: number): Promise<boolean> {
  let token: string;
  try {
    token = readSecretFile(file).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (token === '') return false;
  const check = await api.validateToken(token);
  const expiresAt = check.expires_at === undefined ? Number.NaN : Date.parse(check.expires_at);
  return (
    check.valid &&
    check.username === name &&
    check.account_type === 'system' &&
    Number.isFinite(expiresAt) &&
    expiresAt - now > tokenRenewalMs
  );
}
