import { readFileSync } from 'node:fs';
import { PreconditionError, readPasswordFile } from '@metacircular/mcdsl';
import { platformLayout, servicePaths } from '../../platform-layout.js';
import type { ServiceContext } from '../service-definition.js';
import { httpsURL } from '../standard-config.js';
import { MciasAPI } from './mcias-api.js';

/**
 * withAdminToken runs `work` with a fresh MCIAS token of the platform admin (the account and
 * password file MCIAS's bootstrap made, logged in through MciasAPI as MCIAS's bootstrap does),
 * and logs that session out afterwards whatever happened, so no admin token outlives the step.
 * Metacrypt takes MCIAS tokens, and only the admin may create mounts, roots, issuers and rules.
 */
export async function withAdminToken<T>(ctx: ServiceContext, work: (token: string) => Promise<T>): Promise<T> {
  const mcias = ctx.peers['mcias'];
  if (mcias === undefined) {
    throw new PreconditionError(`${ctx.name} needs MCIAS for its admin logins, and MCIAS is not built; build it (npx tsc -b)`);
  }
  const api = new MciasAPI({
    baseUrl: httpsURL(mcias['rest']),
    caPem: readFileSync(ctx.caCertPath),
    logPath: servicePaths(platformLayout(ctx.platformDir), 'mcias').logPath,
  });
  try {
    const { username, passwordFile } = ctx.admin;
    const answer = await api.login(username, await readPasswordFile(passwordFile));
    const token = answer.body?.token;
    if (answer.status !== 200 || typeof token !== 'string' || token === '') {
      throw api.failure(`logging in to MCIAS as '${username}' to set up ${ctx.name}`, answer);
    }
    try {
      return await work(token);
    } finally {
      // Best effort, as in MCIAS's bootstrap: the token expires within hours anyway.
      await api.logout(token).catch(() => undefined);
    }
  } finally {
    api.close();
  }
}
