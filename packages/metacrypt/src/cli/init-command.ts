import { readPasswordFile } from '@metacircular/mcdsl';
import { apiClient, apiError, type TargetOptions } from './api-target.js';
import { readUnsealPassword, type PasswordSource } from './password-input.js';

/**
 * runInitCommand initializes a running Metacrypt: asks twice for the unseal password (at
 * least 12 characters) and posts /v1/init, which leaves the server unsealed. The server takes
 * init only from loopback or with an MCIAS admin token (--token-file).
 */
export async function runInitCommand(
  opts: TargetOptions & PasswordSource & { tokenFile?: string },
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const password = await readUnsealPassword(opts, true);
  const client = await apiClient(opts);
  try {
    const token = opts.tokenFile ? await readToken(opts.tokenFile) : undefined;
    const res = await client.request<{ state?: string }>('POST', '/v1/init', { body: { password }, ...(token ? { token } : {}) });
    if (res.status !== 200) throw apiError('init', res);
    out.write(`metacrypt initialized; state: ${res.body.state ?? 'unknown'}\n`);
  } finally {
    client.close();
  }
}

/** readToken reads a bearer token file (refused when other users can read it). */
export async function readToken(path: string): Promise<string> {
  return (await readPasswordFile(path)).trim();
}
