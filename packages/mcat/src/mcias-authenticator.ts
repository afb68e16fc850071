import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { Authenticator, InvalidRequestError } from '@metacircular/mcdsl';
import type { Logger } from '@metacircular/mcdsl';
import type { McatConfig } from './config.js';

/**
 * createMciasAuthenticator builds the MCIAS client MCAT tests logins with: mcdsl's
 * Authenticator carrying `[mcias] service_name` and `tags` on every login. The CA file is read
 * and parsed here, before the listener starts, so a wrong `[mcias] ca_cert` stops MCAT with a
 * message naming the key instead of failing every login later.
 */
export async function createMciasAuthenticator(mcias: McatConfig['mcias'], logger?: Logger): Promise<Authenticator> {
  const caCert = mcias.ca_cert ? await readCACert(mcias.ca_cert) : undefined;
  return new Authenticator(
    {
      serverUrl: mcias.server_url,
      serviceName: mcias.service_name,
      tags: mcias.tags,
      ...(caCert ? { caCert } : {}),
    },
    logger ? { logger } : {},
  );
}

async function readCACert(path: string): Promise<Buffer> {
  const fail = (why: string, cause?: unknown): InvalidRequestError =>
    new InvalidRequestError(`[mcias] ca_cert: "${path}" ${why}; point it at the pem certificate of the CA that signs mcias`, {
      code: 'ERR_TLS_FILE',
      cause,
    });
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (err) {
    throw fail((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read', err);
  }
  try {
    new X509Certificate(pem);
  } catch (err) {
    throw fail('is not a pem certificate', err);
  }
  return pem;
}
