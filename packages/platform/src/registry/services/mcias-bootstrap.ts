import { execFile } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { PreconditionError, UnavailableError, readPasswordFile } from '@metacircular/mcdsl';
import type { ServiceContext } from '../service-definition.js';
import { httpsURL } from '../standard-config.js';
import { MciasAPI } from './mcias-api.js';
import { ensureSystemTokens } from './mcias-system-tokens.js';

/** initTimeoutMs bounds `mcias init` (one Argon2id hash and a few database writes). */
const initTimeoutMs = 60_000;

/**
 * bootstrapMcias is MCIAS's afterStart: once the server answers, it
 *   1. logs in as the admin with the password from `ctx.admin.passwordFile`; a 401 on a new
 *      platform means there is no admin yet, so it runs `mcias init` with that password file
 *      and logs in again (any other answer, or a 401 after init, is an error naming the log);
 *   2. as the admin, makes sure every other service in the registry has a system account and
 *      a valid token in its file (`ensureSystemTokens`);
 *   3. logs the admin session out again, so no admin token outlives the bootstrap.
 * Everything goes through MCIAS's REST API over TLS against the platform CA, plus its CLI for
 * the one step the API refuses by design (creating the first admin).
 */
export async function bootstrapMcias(ctx: ServiceContext): Promise<void> {
  const api = new MciasAPI({
    baseUrl: httpsURL(ctx.ports['rest']),
    caPem: readFileSync(ctx.caCertPath),
    logPath: ctx.logPath,
  });
  try {
    const adminToken = await adminSession(api, ctx);
    try {
      const others = Object.entries(ctx.systemTokenFiles).filter(([name]) => name !== ctx.name);
      await ensureSystemTokens(api, adminToken, Object.fromEntries(others));
    } finally {
      // Best effort: a failed logout must not hide why the bootstrap failed, and the admin
      // token expires within hours anyway.
      await api.logout(adminToken).catch(() => undefined);
    }
  } finally {
    api.close();
  }
}

async function adminSession(api: MciasAPI, ctx: ServiceContext): Promise<string> {
  const { username, passwordFile } = ctx.admin;
  const password = await readPasswordFile(passwordFile);
  let answer = await api.login(username, password);
  let initialised = false;
  if (answer.status === 401) {
    await runInit(ctx);
    initialised = true;
    answer = await api.login(username, password);
  }
  const token = answer.body?.token;
  if (answer.status === 200 && typeof token === 'string' && token !== '') return token;
  const step = initialised
    ? `logging in as '${username}' right after mcias init created it`
    : `logging in to MCIAS as '${username}'`;
  throw api.failure(step, answer);
}

/**
 * runInit runs `mcias init` against the running server's config and database, with the admin
 * password read from its file (never from argv). Its output (no secrets: the username and the
 * account's UUID) is appended to MCIAS's log. Exit 1 with "already exists" means an admin is
 * there whose password is not the one in the file.
 */
async function runInit(ctx: ServiceContext): Promise<void> {
  const { username, passwordFile } = ctx.admin;
  const args = [ctx.entry, 'init', '--config', ctx.configPath, '--username', username, '--password-file', passwordFile];
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(process.execPath, args, { cwd: ctx.dataDir, timeout: initTimeoutMs }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
  appendFileSync(ctx.logPath, `--- mc: mcias init (exit ${result.code ?? 'killed'}) ---\n${result.output}`, { mode: 0o600 });
  if (result.code === 0) return;
  if (result.code === 1 && result.output.includes('already exists')) {
    throw new PreconditionError(
      `MCIAS already has an admin, but the password in ${passwordFile} does not log in as '${username}' ` +
        '(a different password, or the account is locked for a while after failed logins); put the ' +
        `admin's password in that file or reset it (mciasctl account set-password ${username}), then run mc up again`,
    );
  }
  const lastLine = result.output.trim().split('\n').at(-1) ?? '';
  throw new UnavailableError(
    `mcias init failed (${result.code === null ? 'no exit code' : `exit ${result.code}`}): ${lastLine}; see ${ctx.logPath}`,
  );
}
